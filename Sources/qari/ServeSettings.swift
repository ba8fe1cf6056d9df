import Configuration
import Foundation
import Logging
import QariPage
import QariReading
import QariServer
import QariSpeech
import QariWorkers
import Yams

/// The daemon's settings from three places, strongest first: `qari serve`'s flags, `QARI_…` environment variables,
/// and the configuration file (`--config`, YAML or JSON; `deploy/qari.example.yaml` explains every key).
struct ServeSettings {
    /// Every key the file and the environment may set (env: `QARI_` + the key in capitals, dots as `_`).
    static let keys: [String] = [
        "host", "port", "log.level", "log.format", "metrics", "lexicons",
        "workers.speech", "workers.queue_limit", "workers.timeout", "workers.diacritizer",
        "text.max_chars", "page.max_bytes", "page.read_selector",
        "cache.enabled", "cache.directory", "cache.size",
        "api.keys", "proxies.trusted", "cors.origins",
        "limits.readings_per_minute", "limits.readings_burst", "limits.requests_per_minute",
        "limits.requests_burst", "limits.concurrent_per_client",
        "connections.header_timeout", "connections.body_timeout", "connections.idle_timeout",
        "connections.max_header_bytes",
    ]

    var host = "127.0.0.1"
    var port = 8470
    var logLevel = "info"
    var logFormat = "text"
    var metrics = true
    var workers: Int?
    var queueLimit: Int?
    var timeout = 60.0
    /// Arabic diacritizer processes: a second one where the cores allow (each model takes a core while it works).
    var diacritizers = ProcessInfo.processInfo.activeProcessorCount >= 4 ? 2 : 1
    var maxText = 100_000
    var maxPage = 5 << 20
    var readSelector: String?
    var cacheEnabled = true
    var cacheDirectory: String?
    var cacheSize = "1G"
    var lexicons: [String] = []
    var access = AccessConfiguration()
    var connections = ConnectionLimits()

    /// The settings of the file (if any) and the environment, before flags; every problem found, not only the first.
    static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> ServeSettings
    {
        var problems: [String] = []
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ["qari"])
        ]
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError("cannot read the configuration file \(file)")
            }
            let yaml = file.hasSuffix(".yaml") || file.hasSuffix(".yml")
            let tree: Any?
            do {
                tree =
                    yaml
                    ? try Yams.load(yaml: String(decoding: data, as: UTF8.self))
                    : try JSONSerialization.jsonObject(with: data)
            } catch {
                throw CLIError("\(file) is not \(yaml ? "YAML" : "JSON"): \(Self.describe(error))")
            }
            guard let object = tree as? [String: Any] else {
                throw CLIError("\(file): the top level must be a mapping")
            }
            for key in leaves(object) where !keys.contains(key) {
                problems.append("\(file): unknown key \"\(key)\"")
            }
            if yaml {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: .init(file)))
            } else {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
            }
        }
        let config = ConfigReader(providers: providers)
        var s = ServeSettings()
        func read<T>(_ key: String, _ fetch: (ConfigKey) async throws -> T?) async -> T? {
            do { return try await fetch(ConfigKey(key)) } catch {
                problems.append("\(key): \(Self.describe(error))")
                return nil
            }
        }
        s.host = await read("host") { try await config.fetchString(forKey: $0) } ?? s.host
        s.port = await read("port") { try await config.fetchInt(forKey: $0) } ?? s.port
        s.logLevel = await read("log.level") { try await config.fetchString(forKey: $0) } ?? s.logLevel
        s.logFormat = await read("log.format") { try await config.fetchString(forKey: $0) } ?? s.logFormat
        s.metrics = await read("metrics") { try await config.fetchBool(forKey: $0) } ?? s.metrics
        s.lexicons = await read("lexicons") { try await config.fetchStringArray(forKey: $0) } ?? s.lexicons
        s.workers = await read("workers.speech") { try await config.fetchInt(forKey: $0) } ?? s.workers
        s.queueLimit = await read("workers.queue_limit") { try await config.fetchInt(forKey: $0) } ?? s.queueLimit
        s.timeout = await read("workers.timeout") { try await config.fetchDouble(forKey: $0) } ?? s.timeout
        s.diacritizers = await read("workers.diacritizer") { try await config.fetchInt(forKey: $0) } ?? s.diacritizers
        s.maxText = await read("text.max_chars") { try await config.fetchInt(forKey: $0) } ?? s.maxText
        s.maxPage = await read("page.max_bytes") { try await config.fetchInt(forKey: $0) } ?? s.maxPage
        s.readSelector = await read("page.read_selector") { try await config.fetchString(forKey: $0) } ?? s.readSelector
        s.cacheEnabled = await read("cache.enabled") { try await config.fetchBool(forKey: $0) } ?? s.cacheEnabled
        s.cacheDirectory =
            await read("cache.directory") { try await config.fetchString(forKey: $0) } ?? s.cacheDirectory
        s.cacheSize = await read("cache.size") { try await config.fetchString(forKey: $0) } ?? s.cacheSize
        var a = s.access
        a.apiKeys =
            await read("api.keys") { try await config.fetchStringArray(forKey: $0, isSecret: true) } ?? a.apiKeys
        a.trustedProxies = await read("proxies.trusted") { try await config.fetchStringArray(forKey: $0) } ?? []
        a.corsOrigins = await read("cors.origins") { try await config.fetchStringArray(forKey: $0) } ?? []
        a.readingsPerMinute =
            await read("limits.readings_per_minute") { try await config.fetchInt(forKey: $0) } ?? a.readingsPerMinute
        a.readingsBurst =
            await read("limits.readings_burst") { try await config.fetchInt(forKey: $0) } ?? a.readingsBurst
        a.requestsPerMinute =
            await read("limits.requests_per_minute") { try await config.fetchInt(forKey: $0) } ?? a.requestsPerMinute
        a.requestsBurst =
            await read("limits.requests_burst") { try await config.fetchInt(forKey: $0) } ?? a.requestsBurst
        a.concurrentPerClient =
            await read("limits.concurrent_per_client") { try await config.fetchInt(forKey: $0) }
            ?? a.concurrentPerClient
        a.apiKeys = a.apiKeys.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        s.access = a
        var c = s.connections
        c.headerTimeout =
            await read("connections.header_timeout") { try await config.fetchDouble(forKey: $0) } ?? c.headerTimeout
        c.bodyTimeout =
            await read("connections.body_timeout") { try await config.fetchDouble(forKey: $0) } ?? c.bodyTimeout
        c.idleTimeout =
            await read("connections.idle_timeout") { try await config.fetchDouble(forKey: $0) } ?? c.idleTimeout
        c.maxHeaderBytes =
            await read("connections.max_header_bytes") { try await config.fetchInt(forKey: $0) } ?? c.maxHeaderBytes
        s.connections = c
        if !problems.isEmpty { throw CLIError(problems.joined(separator: "\n")) }
        return s
    }

    /// Every rule a setting must keep; all the broken ones at once.
    func validate() throws {
        var problems: [String] = []
        if !(1...65535).contains(port) { problems.append("port \(port) is not a TCP port") }
        if let workers, !(1...64).contains(workers) { problems.append("workers.speech must be from 1 to 64") }
        if !(1...8).contains(diacritizers) { problems.append("workers.diacritizer must be from 1 to 8") }
        if let queueLimit, queueLimit < 0 { problems.append("workers.queue_limit must not be negative") }
        if timeout <= 0 { problems.append("workers.timeout must be positive") }
        if maxText <= 0 { problems.append("text.max_chars must be positive") }
        if maxPage <= 0 { problems.append("page.max_bytes must be positive") }
        if Logger.Level(rawValue: logLevel) == nil { problems.append("unknown log.level \(logLevel)") }
        if !["text", "json"].contains(logFormat) { problems.append("log.format must be text or json") }
        do {
            _ = try LexiconSet(paths: LexiconSet.paths(named: lexicons))
        } catch {
            problems.append("lexicon \(error)")
        }
        if Serve.bytes(cacheSize) == nil { problems.append("cache.size \(cacheSize) is not a size (e.g. 500M, 2G)") }
        for key in access.apiKeys where key.count < 16 {
            problems.append("an API key (\(Self.fingerprint(key))) is shorter than 16 characters")
        }
        for proxy in access.trustedProxies where !AccessConfiguration.isAddressOrRange(proxy) {
            problems.append("proxies.trusted: \(proxy) is not an IP address or range")
        }
        for origin in access.corsOrigins where !AccessConfiguration.isOrigin(origin) {
            problems.append("cors.origins: \(origin) is not an origin (scheme://host[:port], or *)")
        }
        let positive: [(String, Int)] = [
            ("limits.readings_per_minute", access.readingsPerMinute), ("limits.readings_burst", access.readingsBurst),
            ("limits.requests_per_minute", access.requestsPerMinute), ("limits.requests_burst", access.requestsBurst),
            ("limits.concurrent_per_client", access.concurrentPerClient),
            ("connections.max_header_bytes", connections.maxHeaderBytes),
        ]
        for (key, value) in positive where value <= 0 { problems.append("\(key) must be positive") }
        for (key, value) in [
            ("connections.header_timeout", connections.headerTimeout),
            ("connections.body_timeout", connections.bodyTimeout),
            ("connections.idle_timeout", connections.idleTimeout),
        ] where value <= 0 {
            problems.append("\(key) must be positive")
        }
        if access.apiKeys.isEmpty, !Self.isLoopback(host) {
            problems.append(
                "host \(host) is not loopback and no API keys are set: the portal's routes would be open to the network "
                    + "(set api.keys or QARI_API_KEYS)")
        }
        if !problems.isEmpty { throw CLIError(problems.joined(separator: "\n")) }
    }

    /// The server configuration these settings make.
    func server() -> ServerConfiguration {
        let pool = WorkerPoolConfiguration.speech(
            workers: workers, queueLimit: queueLimit, requestTimeout: .milliseconds(Int(timeout * 1000)))
        var configuration = ServerConfiguration(
            host: host, port: port, pool: pool, maxTextLength: maxText, diacritizerWorkers: diacritizers,
            page: PageOptions(readSelector: readSelector, maxBytes: maxPage),
            cache: CacheConfiguration(
                directory: cacheEnabled ? cacheDirectory ?? CacheConfiguration.defaultDirectory() : nil,
                limit: Serve.bytes(cacheSize) ?? 1_000_000_000))
        configuration.access = access
        configuration.connections = connections
        configuration.metrics = metrics
        configuration.lexicons = LexiconSet.paths(named: lexicons)
        return configuration
    }

    /// The effective settings, one `key = value` a line, keys shown only by their fingerprints.
    func report() -> String {
        let keys = access.apiKeys.map(Self.fingerprint)
        let lines: [(String, String)] = [
            ("host", host), ("port", "\(port)"), ("log.level", logLevel), ("log.format", logFormat),
            ("metrics", "\(metrics)"),
            ("workers.speech", workers.map(String.init) ?? "one per core"),
            ("workers.queue_limit", queueLimit.map(String.init) ?? "twice the workers"),
            ("workers.timeout", "\(timeout) s"), ("workers.diacritizer", "\(diacritizers)"),
            ("text.max_chars", "\(maxText)"), ("page.max_bytes", "\(maxPage)"),
            ("page.read_selector", readSelector ?? "(none)"),
            ("cache.enabled", "\(cacheEnabled)"),
            ("cache.directory", cacheEnabled ? cacheDirectory ?? CacheConfiguration.defaultDirectory() : "(off)"),
            ("cache.size", cacheSize),
            ("lexicons", LexiconSet.paths(named: lexicons).joined(separator: ", ")),
            ("api.keys", keys.isEmpty ? "(none: the portal's routes are open)" : keys.joined(separator: ", ")),
            (
                "proxies.trusted",
                access.trustedProxies.isEmpty ? "(none)" : access.trustedProxies.joined(separator: ", ")
            ),
            ("cors.origins", access.corsOrigins.isEmpty ? "(none)" : access.corsOrigins.joined(separator: ", ")),
            ("limits.readings_per_minute", "\(access.readingsPerMinute)"),
            ("limits.readings_burst", "\(access.readingsBurst)"),
            ("limits.requests_per_minute", "\(access.requestsPerMinute)"),
            ("limits.requests_burst", "\(access.requestsBurst)"),
            ("limits.concurrent_per_client", "\(access.concurrentPerClient)"),
            ("connections.header_timeout", "\(connections.headerTimeout) s"),
            ("connections.body_timeout", "\(connections.bodyTimeout) s"),
            ("connections.idle_timeout", "\(connections.idleTimeout) s"),
            ("connections.max_header_bytes", "\(connections.maxHeaderBytes)"),
        ]
        return lines.map { "\($0.0) = \($0.1)" }.joined(separator: "\n")
    }

    /// A key as an operator can compare it without seeing it: `sha256:` and the first 8 hex digits.
    static func fingerprint(_ key: String) -> String {
        "sha256:" + ContentHash.sha256(Array(key.utf8)).prefix(8)
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// Dotted paths of the leaves of a JSON object (arrays are leaves).
    static func leaves(_ object: [String: Any], prefix: String = "") -> [String] {
        object.flatMap { key, value -> [String] in
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value as? [String: Any] { return leaves(nested, prefix: path) }
            return [path]
        }.sorted()
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
