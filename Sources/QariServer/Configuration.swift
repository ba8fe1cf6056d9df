import Foundation
import QariPage
import QariReading
import QariSpeech
import QariWorkers

/// Where finished readings are kept, and how much of them.
public struct CacheConfiguration: Sendable {
    /// The folder (nil: no cache; readings live in memory while they are made and a little after).
    public var directory: String?
    /// The most bytes the cache keeps (least recently used readings go first).
    public var limit: Int

    public init(
        directory: String? = CacheConfiguration.defaultDirectory(),
        limit: Int = CacheConfiguration.bytes(Settings.cacheSize.default)!
    ) {
        self.directory = directory
        self.limit = limit
    }

    /// `$QARI_CACHE/readings`, else `.build/qari-cache/readings` of the repository the build is in, else
    /// `/var/cache/qari/readings`.
    public static func defaultDirectory() -> String {
        stateFolder(variable: "QARI_CACHE", repository: "qari-cache", system: "/var/cache/qari") + "/readings"
    }
}

/// The folder a kind of state lives in: `$variable` when set, else `.build/<repository>` of the repository the build
/// is in (a developer's daemon keeps its state in the clone), else the system's folder.
func stateFolder(variable: String, repository: String, system: String) -> String {
    if let folder = ProcessInfo.processInfo.environment[variable] { return folder }
    if let root = qariHomeCandidates().first(where: { FileManager.default.fileExists(atPath: $0 + "/Package.swift") }) {
        return root + "/.build/" + repository
    }
    return system
}

/// Where listeners' pronunciation reports are kept, and how many.
public struct ReportsConfiguration: Sendable, Equatable {
    /// The SQLite file (nil: reports are taken and logged, not kept).
    public var path: String?
    /// The most reports kept; past it the oldest go.
    public var limit: Int

    public init(path: String? = ReportsConfiguration.defaultPath(), limit: Int = Settings.reportsMax.default) {
        self.path = path
        self.limit = limit
    }

    /// In a data folder beside the cache, never in the cache (reports are not evicted): `$QARI_DATA/reports.sqlite`,
    /// else `.build/qari-data/reports.sqlite` of the repository the build is in, else `/var/lib/qari/reports.sqlite`.
    public static func defaultPath() -> String {
        stateFolder(variable: "QARI_DATA", repository: "qari-data", system: "/var/lib/qari") + "/reports.sqlite"
    }
}

/// Limits on a connection, so that slow or greedy clients cannot hold the daemon.
public struct ConnectionLimits: Sendable, Equatable {
    /// Seconds a client has to send a whole request head (from connecting, or from the previous answer).
    public var headerTimeout = Settings.headerTimeout.default
    /// Seconds a client has to send a request's body once its head arrived.
    public var bodyTimeout = Settings.bodyTimeout.default
    /// Seconds a connection may stay silent while a request is read.
    public var idleTimeout = Settings.idleTimeout.default
    /// Largest request head, in bytes (larger: 431).
    public var maxHeaderBytes = Settings.maxHeaderBytes.default

    public init() {}
}

/// Settings of the Qari daemon.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Worker pool settings.
    public var pool: WorkerPoolConfiguration
    /// The longest text, in characters, a speech request may carry.
    public var maxTextLength: Int
    /// The Arabic diacritizer worker; nil speaks Arabic without restored vowels.
    public var diacritizer: DiacritizerLocation?
    /// Diacritizer worker processes.
    public var diacritizerWorkers: Int
    /// Page reading: size and time limits, the reading-area selector.
    public var page: PageOptions
    /// The `qari page-worker` processes that parse pages (libgumbo) for reading and transforms.
    public var pagePool: WorkerPoolConfiguration
    /// The reading cache.
    public var cache: CacheConfiguration
    /// The reader-button widget's files (`Public/`), served under `/widget/`; nil serves none.
    public var widgetDirectory: String?
    /// The demo pages served at `/` (`samples/pages/`); nil serves none.
    public var demoDirectory: String?
    /// API keys, per-client limits, trusted proxies, CORS origins.
    public var access = AccessConfiguration()
    /// Time and size limits on connections and request heads.
    public var connections = ConnectionLimits()
    /// `/metrics` in Prometheus' text format (off: no route, nothing counted).
    public var metrics = Settings.metrics.default
    /// The OpenAPI document served at `/openapi.json` (the repository's `openapi.json`).
    public var openAPIDocument: String? = ServerConfiguration.qariFolder("openapi.json")
    /// Pronunciation lexicons (PLS files), read at start and again on SIGHUP.
    public var lexicons: [String] = []
    /// How the daemon logs.
    public var log = LogSettings()
    /// Listeners' pronunciation reports.
    public var reports = ReportsConfiguration()
    /// Citizens' own pages: which are, and how long memory keeps them.
    public var privacy = PrivacyConfiguration()
    /// What the daemon makes readings of before anyone asks.
    public var warm = WarmConfiguration()
    /// Settings read whose values broke a rule before they could be kept (`init(reader:)`).
    var readProblems: [String] = []

    public init(
        host: String = Settings.host.default, port: Int = Settings.port.default,
        pool: WorkerPoolConfiguration = .speech(requestTimeout: .seconds(Settings.workersTimeout.default)),
        maxTextLength: Int = Settings.textMaxChars.default, diacritizer: DiacritizerLocation? = .find(),
        diacritizerWorkers: Int = ProcessInfo.processInfo.activeProcessorCount >= 4 ? 2 : 1,
        page: PageOptions = .init(),
        pagePool: WorkerPoolConfiguration = .pages(), cache: CacheConfiguration = .init(),
        widgetDirectory: String? = ServerConfiguration.qariFolder("Public"),
        demoDirectory: String? = ServerConfiguration.qariFolder("samples/pages")
    ) {
        self.cache = cache
        self.widgetDirectory = widgetDirectory
        self.demoDirectory = demoDirectory
        self.page = page
        self.pagePool = pagePool
        self.host = host
        self.port = port
        self.pool = pool
        self.maxTextLength = maxTextLength
        self.diacritizer = diacritizer
        self.diacritizerWorkers = diacritizerWorkers
    }

    /// A folder of Qari's own files (`Public`, `samples/pages`) beside the executable or under `$QARI_HOME`.
    public static func qariFolder(_ name: String) -> String? {
        qariHomeCandidates().map { $0 + "/" + name }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Bytes a request body may have: room for the longest text with every character JSON-escaped.
    var maxBodyBytes: Int { max(1 << 20, maxTextLength * 12 + 65536) }
}

/// How the daemon logs.
public struct LogSettings: Sendable, Equatable {
    /// trace, debug, info, notice, warning or error.
    public var level = Settings.logLevel.default
    /// `text` (key=value) or `json` (one object a line).
    public var format = Settings.logFormat.default

    public init(level: String = Settings.logLevel.default, format: String = Settings.logFormat.default) {
        self.level = level
        self.format = format
    }
}

extension CacheConfiguration {
    /// "500M", "2G", "1000000" in bytes (K, M, G: powers of 1000, as disks count); nil when it is not a size.
    public static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1000, "M": 1_000_000, "G": 1_000_000_000]
        guard let last = text.uppercased().last else { return nil }
        if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit }.flatMap { $0 >= 0 ? $0 : nil } }
        return Int(text).flatMap { $0 >= 0 ? $0 : nil }
    }
}

/// The daemon's own warming (`warm.*`): a sitemap's pages made into readings at start, after each lexicon reload
/// and on a schedule, with workers listeners leave idle.
public struct WarmConfiguration: Sendable, Equatable {
    /// The sitemap (a file or an http(s) address); nil: no warming.
    public var sitemap = Settings.warmSitemap.default
    /// Seconds between warms.
    public var every = Settings.warmEvery.default
    /// Pages made at once.
    public var connections = Settings.warmConnections.default
    /// Seconds waited after each page fetched.
    public var delay = Settings.warmDelay.default
}
