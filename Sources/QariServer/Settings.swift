import Logging
import QariPage
import QariReading

/// Every setting of the daemon, declared once; `qari serve` (flags, variables, `--help`, `--check-config`),
/// validation, `deploy/qari.example.yaml` and the docs all read this table (a test checks the last two).
public enum Settings {
    public static let host = Setting("host", "127.0.0.1", "the address to listen on (not loopback: api.keys needed)")
    public static let port = Setting("port", 8470, "the TCP port") {
        (1...65535).contains($0) ? nil : " \($0) is not a TCP port"
    }
    public static let logLevel = Setting("log.level", "info", "trace, debug, info, notice, warning or error") {
        Logger.Level(rawValue: $0) == nil ? " \($0) is not trace, debug, info, notice, warning or error" : nil
    }
    public static let logFormat = Setting("log.format", "text", "text (key=value) or json (one object a line)") {
        ["text", "json"].contains($0) ? nil : " must be text or json"
    }
    public static let metrics = Setting("metrics", true, "GET /metrics in Prometheus' text format")
    public static let lexicons = Setting(
        "lexicons", [String]?.none, "pronunciation lexicons (PLS files), read again on SIGHUP (none: no lexicon)",
        shown: "the shipped lexicons/*.pls")
    public static let workersSpeech = Setting(
        "workers.speech", Int?.none, "eSpeak NG worker processes", shown: "one per core", rule: Rule.within(1...64))
    public static let workersQueueLimit = Setting(
        "workers.queue_limit", Int?.none, "requests that may wait for a speech worker; beyond, 503 at once",
        shown: "twice the workers"
    ) { ($0 ?? 0) < 0 ? " must not be negative" : nil }
    public static let workersSpeechNiceness = Setting(
        "workers.speech_niceness", 10,
        "how much lower the speech workers' CPU priority is than the daemon's (nice), all but the first, which "
            + "keeps the daemon's for the first pieces a listener waits for: pages and answers go first"
    ) { (0...19).contains($0) ? nil : " must be from 0 to 19" }
    public static let workersTimeout = Setting(
        "workers.timeout", 60.0, "seconds one request may hold a worker before it is killed", rule: Rule.positive)
    public static let workersDiacritizer = Setting(
        "workers.diacritizer", Int?.none, "Arabic vowel-restoring workers (each holds its model)",
        shown: "2 with 4 cores or more, else 1", rule: Rule.within(1...8))
    public static let textMaxChars = Setting(
        "text.max_chars", 100_000, "the longest text of /v1/speech, in characters", rule: Rule.positive)
    public static let pageMaxBytes = Setting(
        "page.max_bytes", PageOptions().maxBytes, "the largest page of /v1/read and /v1/readings, in bytes",
        rule: Rule.positive)
    public static let pageReadSelector = Setting(
        "page.read_selector", String?.none, "the reading area of pages without data-qari-read", shown: "none")
    public static let cacheEnabled = Setting("cache.enabled", true, "keep finished readings across restarts")
    public static let cacheDirectory = Setting(
        "cache.directory", String?.none, "the reading cache's folder",
        shown: "$QARI_CACHE/readings, else /var/cache/qari/readings")
    public static let cacheSize = Setting("cache.size", "1G", "the most bytes the cache keeps, with K, M or G") {
        CacheConfiguration.bytes($0) == nil ? " is not a size (e.g. 500M, 2G)" : nil
    }
    public static let reportsDB = Setting(
        "reports.db", String?.none, "the SQLite file of listeners' pronunciation reports",
        shown: "$QARI_DATA/reports.sqlite, else /var/lib/qari/reports.sqlite")
    public static let reportsMax = Setting(
        "reports.max", ReportStore.defaultLimit, "the most reports kept; past it the oldest go", rule: Rule.positive)
    public static let privatePages = Setting(
        "private.pages", [String](), "page addresses whose readings are private (* any run; /… the path)"
    ) { list in Rule.each(list.filter { $0.allSatisfy(\.isWhitespace) }.map { "\"\($0)\"" }, "empty") }
    public static let privateTTL = Setting(
        "private.ttl", 600.0, "seconds a private reading is kept after its last use", rule: Rule.positive)
    public static let privateMemory = Setting(
        "private.memory", "256M", "the most bytes private readings hold in memory, with K, M or G"
    ) { CacheConfiguration.bytes($0) == nil ? " is not a size (e.g. 64M, 1G)" : nil }
    public static let privateInstance = Setting(
        "private.instance", String?.none,
        "this daemon's name at the end of private reading ids, for a proxy to route them back (a-z, 0-9)",
        shown: "the port"
    ) { name in
        name.map { PrivateLimits.isInstance($0) ? nil : " \($0) is not 1 to 32 letters a-z and digits" } ?? nil
    }
    public static let apiKeys = Setting(
        "api.keys", [String](), "keys the portal server sends as Authorization: Bearer KEY", secret: true
    ) { keys in
        Rule.each(
            keys.filter { $0.count < 16 }.map { "a key (\(AccessConfiguration.fingerprint($0)))" },
            "shorter than 16 characters")
    }
    public static let proxiesTrusted = Setting(
        "proxies.trusted", [String](), "peers whose X-Forwarded-For is believed (addresses or ranges)"
    ) { list in Rule.each(list.filter { !AccessConfiguration.isAddressOrRange($0) }, "not an IP address or range") }
    public static let corsOrigins = Setting(
        "cors.origins", [String](), "origins whose pages may call the widget's routes (*: any)"
    ) { list in
        Rule.each(list.filter { !AccessConfiguration.isOrigin($0) }, "not an origin (scheme://host[:port], or *)")
    }
    public static let readingsPerMinute = Setting(
        "limits.readings_per_minute", 30, "new readings a client may ask for per minute", rule: Rule.positive)
    public static let readingsBurst = Setting(
        "limits.readings_burst", 10, "new readings a client may ask for at once", rule: Rule.positive)
    public static let requestsPerMinute = Setting(
        "limits.requests_per_minute", 1200, "requests to the widget's routes per client per minute",
        rule: Rule.positive)
    public static let requestsBurst = Setting(
        "limits.requests_burst", 200, "requests to the widget's routes per client at once", rule: Rule.positive)
    public static let concurrentPerClient = Setting(
        "limits.concurrent_per_client", 16, "requests of one client answered at once (streams until they end)",
        rule: Rule.positive)
    public static let reportsPerHour = Setting(
        "limits.reports_per_hour", 20, "pronunciation reports a client may send per hour", rule: Rule.positive)
    public static let headerTimeout = Setting(
        "connections.header_timeout", 15.0, "seconds a client has to send a whole request head", rule: Rule.positive)
    public static let bodyTimeout = Setting(
        "connections.body_timeout", 60.0, "seconds a client has to send a body once its head arrived",
        rule: Rule.positive)
    public static let idleTimeout = Setting(
        "connections.idle_timeout", 60.0, "seconds a connection may stay silent while a request is read",
        rule: Rule.positive)
    public static let maxHeaderBytes = Setting(
        "connections.max_header_bytes", 32 * 1024, "the largest request head, in bytes (larger: 431)",
        rule: Rule.positive)

    public static let warmSitemap = Setting(
        "warm.sitemap", String?.none,
        "a sitemap (file or http(s) address) whose pages the daemon makes readings of before anyone asks",
        shown: "none")
    public static let warmEvery = Setting(
        "warm.every", 86_400.0, "seconds between warms of warm.sitemap (and one after each lexicon reload)",
        rule: Rule.positive)
    public static let warmConnections = Setting(
        "warm.connections", 1, "pages a warm makes at once (only with workers listeners leave idle)"
    ) { (1...16).contains($0) ? nil : " must be from 1 to 16" }
    public static let warmDelay = Setting(
        "warm.delay", 1.0, "seconds a warm waits after each page fetched from the portal"
    ) {
        (0...60).contains($0) ? nil : " is 0 to 60 seconds"
    }

    /// Every setting, in the order `--help` and `--check-config` list them.
    public static let all: [SettingDescription] = [
        host.description, port.description, logLevel.description, logFormat.description, metrics.description,
        lexicons.description, workersTimeout.description, workersSpeech.description,
        workersQueueLimit.description, workersSpeechNiceness.description, workersDiacritizer.description,
        textMaxChars.description, pageMaxBytes.description, pageReadSelector.description, cacheSize.description,
        cacheEnabled.description,
        cacheDirectory.description, reportsDB.description, reportsMax.description, privatePages.description,
        privateTTL.description, privateMemory.description, privateInstance.description, apiKeys.description,
        proxiesTrusted.description, corsOrigins.description, readingsPerMinute.description,
        readingsBurst.description, requestsPerMinute.description, requestsBurst.description,
        concurrentPerClient.description, reportsPerHour.description, headerTimeout.description,
        bodyTimeout.description, idleTimeout.description, maxHeaderBytes.description, warmSitemap.description,
        warmEvery.description, warmConnections.description, warmDelay.description,
    ]

    /// What `qari serve --help` says of the settings: how they are given, then each flag, what it is, its default.
    public static var help: String {
        let (size, rate) = (cacheSize.description, readingsPerMinute.description)
        let intro = """
            Settings come from the flags, then QARI_… environment variables, then the --config file (YAML or \
            JSON); deploy/qari.example.yaml explains every key. Each key is one flag and one variable: \
            \(size.key) is \(size.flag) and \(size.environmentName), \(rate.key) is \(rate.flag); a list takes a \
            repeated flag or commas. `qari serve --check-config` prints every key with the value it would run with.
            """
        let lines = all.map { "\($0.flag): \($0.help) (default: \($0.shownDefault))" }
        return intro + "\n\n" + lines.joined(separator: "\n")
    }
}
