import Configuration
import Foundation
import Logging
import QariPage
import QariReading
import QariSpeech
import QariText
import QariWorkers
import Synchronization

/// What a settings read found: each key read with its value, and each value that did not convert.
///
/// Every configuration type reads its own keys in `init(reader:)` with its defaults; reading with this reporter
/// attached is how the daemon knows its keys (for unknown-key errors, flags, `--help` and `--check-config`)
/// without a second list.
public final class SettingsReport: AccessReporter, Sendable {
    /// One key as read: its value (nil when unset and without a default) and whether it is secret.
    public struct Entry: Sendable {
        public var key: String
        public var value: String?
        public var isSecret: Bool
    }

    private let state = Mutex<(entries: [Entry], problems: [String])>(([], []))

    public init() {}

    public func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        var problem: String?
        if let error = event.conversionError { problem = "\(key): \(error)" }
        for provider in event.providerResults {
            if case .failure(let error) = provider.result { problem = "\(key): \(error)" }
        }
        var value: String?
        var secret = false
        if case .success(let v) = event.result, let v {
            secret = v.isSecret
            value = Self.text(v.content)
        }
        state.withLock {
            if let index = $0.entries.firstIndex(where: { $0.key == key }) {
                $0.entries[index] = Entry(key: key, value: value, isSecret: secret)
            } else {
                $0.entries.append(Entry(key: key, value: value, isSecret: secret))
            }
            if let problem, !$0.problems.contains(problem) { $0.problems.append(problem) }
        }
    }

    /// The keys read, in the order read, with their values.
    public var entries: [Entry] { state.withLock { $0.entries } }
    /// Values that did not convert to their key's type.
    public var problems: [String] { state.withLock { $0.problems } }

    static func text(_ content: ConfigContent) -> String {
        switch content {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .stringArray(let a): a.joined(separator: ",")
        case .intArray(let a): a.map(String.init).joined(separator: ",")
        case .doubleArray(let a): a.map { String($0) }.joined(separator: ",")
        case .boolArray(let a): a.map(String.init).joined(separator: ",")
        case .bytes, .byteChunkArray: "(bytes)"
        }
    }
}

extension ServerConfiguration {
    /// The daemon's settings from `reader` (keys as in `deploy/qari.example.yaml`); a key not set keeps its default.
    public init(reader: ConfigReader) {
        self.init()
        let defaults = self
        host = reader.string(forKey: "host", default: defaults.host)
        port = reader.int(forKey: "port", default: defaults.port)
        log = LogSettings(reader: reader.scoped(to: "log"))
        metrics = reader.bool(forKey: "metrics", default: defaults.metrics)
        // Unset: the shipped lexicons; "none": none.
        lexicons = LexiconSet.paths(named: reader.stringArray(forKey: "lexicons", default: LexiconSet.paths(named: [])))
        let workers = reader.scoped(to: "workers")
        let timeout = workers.double(
            forKey: "timeout", default: Double(defaults.pool.requestTimeout.components.seconds))
        let speech = workers.int(forKey: "speech")
        let queue = workers.int(forKey: "queue_limit")
        if let speech, !(1...64).contains(speech) { readProblems.append("workers.speech must be from 1 to 64") }
        if let queue, queue < 0 { readProblems.append("workers.queue_limit must not be negative") }
        pool = .speech(workers: speech, queueLimit: queue, requestTimeout: .milliseconds(Int(timeout * 1000)))
        diacritizerWorkers = workers.int(forKey: "diacritizer", default: diacritizerWorkers)
        maxTextLength = reader.scoped(to: "text").int(forKey: "max_chars", default: defaults.maxTextLength)
        let page = reader.scoped(to: "page")
        self.page.maxBytes = page.int(forKey: "max_bytes", default: defaults.page.maxBytes)
        self.page.readSelector = page.string(forKey: "read_selector")
        cache = CacheConfiguration(reader: reader.scoped(to: "cache"))
        let reportsReader = reader.scoped(to: "reports")
        reports.path = reportsReader.string(forKey: "db", default: reports.path ?? "")
        reports.limit = reportsReader.int(forKey: "max", default: reports.limit)
        access = AccessConfiguration(reader: reader)
        connections = ConnectionLimits(reader: reader.scoped(to: "connections"))
    }

    /// Every rule a setting must keep, each broken one as a line (empty: all kept).
    public var problems: [String] {
        var problems = readProblems
        if !(1...65535).contains(port) { problems.append("port \(port) is not a TCP port") }
        if !(1...8).contains(diacritizerWorkers) { problems.append("workers.diacritizer must be from 1 to 8") }
        if pool.requestTimeout <= .zero { problems.append("workers.timeout must be positive") }
        if maxTextLength <= 0 { problems.append("text.max_chars must be positive") }
        if page.maxBytes <= 0 { problems.append("page.max_bytes must be positive") }
        if Logger.Level(rawValue: log.level) == nil { problems.append("unknown log.level \(log.level)") }
        if !["text", "json"].contains(log.format) { problems.append("log.format must be text or json") }
        do {
            _ = try LexiconSet(paths: lexicons)
        } catch {
            problems.append("lexicon \(error)")
        }
        if cache.limit < 0 { problems.append("cache.size is not a size (e.g. 500M, 2G)") }
        if reports.limit <= 0 { problems.append("reports.max must be positive") }
        problems += access.problems + connections.problems
        if access.apiKeys.isEmpty, !Self.isLoopback(host) {
            problems.append(
                "host \(host) is not loopback and no API keys are set: the portal's routes would be open to the network "
                    + "(set api.keys or QARI_API_KEYS)")
        }
        return problems
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}

/// How the daemon logs.
public struct LogSettings: Sendable, Equatable {
    /// trace, debug, info, notice, warning or error.
    public var level = "info"
    /// `text` (key=value) or `json` (one object a line).
    public var format = "text"

    public init() {}

    /// `log.*`.
    public init(reader: ConfigReader) {
        let defaults = LogSettings()
        level = reader.string(forKey: "level", default: defaults.level)
        format = reader.string(forKey: "format", default: defaults.format)
    }
}

extension CacheConfiguration {
    /// `cache.*`: `enabled`, `directory`, and `size` in bytes with K, M or G (powers of 1000, as disks count).
    public init(reader: ConfigReader) {
        self.init()
        let size = reader.string(forKey: "size", default: Self.defaultSize)
        limit = Self.bytes(size) ?? -1
        if reader.bool(forKey: "enabled", default: true) {
            directory = reader.string(forKey: "directory", default: directory ?? Self.defaultDirectory())
        } else {
            _ = reader.string(forKey: "directory")
            directory = nil
        }
    }

    /// "500M", "2G", "1000000" in bytes; nil when it is not a size.
    public static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1000, "M": 1_000_000, "G": 1_000_000_000]
        guard let last = text.uppercased().last else { return nil }
        if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit }.flatMap { $0 >= 0 ? $0 : nil } }
        return Int(text).flatMap { $0 >= 0 ? $0 : nil }
    }
}

extension AccessConfiguration {
    /// `api.keys` (secret), `proxies.trusted`, `cors.origins` and `limits.*`.
    public init(reader: ConfigReader) {
        self.init()
        apiKeys = reader.stringArray(forKey: "api.keys", isSecret: true, default: apiKeys)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        trustedProxies = reader.stringArray(forKey: "proxies.trusted", default: trustedProxies)
        corsOrigins = reader.stringArray(forKey: "cors.origins", default: corsOrigins)
        let limits = reader.scoped(to: "limits")
        readingsPerMinute = limits.int(forKey: "readings_per_minute", default: readingsPerMinute)
        readingsBurst = limits.int(forKey: "readings_burst", default: readingsBurst)
        requestsPerMinute = limits.int(forKey: "requests_per_minute", default: requestsPerMinute)
        requestsBurst = limits.int(forKey: "requests_burst", default: requestsBurst)
        concurrentPerClient = limits.int(forKey: "concurrent_per_client", default: concurrentPerClient)
        reportsPerHour = limits.int(forKey: "reports_per_hour", default: reportsPerHour)
    }

    var problems: [String] {
        var problems: [String] = []
        for key in apiKeys where key.count < 16 {
            problems.append("an API key (\(Self.fingerprint(key))) is shorter than 16 characters")
        }
        for proxy in trustedProxies where !Self.isAddressOrRange(proxy) {
            problems.append("proxies.trusted: \(proxy) is not an IP address or range")
        }
        for origin in corsOrigins where !Self.isOrigin(origin) {
            problems.append("cors.origins: \(origin) is not an origin (scheme://host[:port], or *)")
        }
        let positive: [(String, Int)] = [
            ("limits.readings_per_minute", readingsPerMinute), ("limits.readings_burst", readingsBurst),
            ("limits.requests_per_minute", requestsPerMinute), ("limits.requests_burst", requestsBurst),
            ("limits.concurrent_per_client", concurrentPerClient), ("limits.reports_per_hour", reportsPerHour),
        ]
        return problems + positive.filter { $0.1 <= 0 }.map { "\($0.0) must be positive" }
    }

    /// A key as an operator can compare it without seeing it: `sha256:` and the first 8 hex digits.
    public static func fingerprint(_ key: String) -> String {
        "sha256:" + ContentHash.sha256(Array(key.utf8)).prefix(8)
    }
}

extension ConnectionLimits {
    /// `connections.*`.
    public init(reader: ConfigReader) {
        self.init()
        headerTimeout = reader.double(forKey: "header_timeout", default: headerTimeout)
        bodyTimeout = reader.double(forKey: "body_timeout", default: bodyTimeout)
        idleTimeout = reader.double(forKey: "idle_timeout", default: idleTimeout)
        maxHeaderBytes = reader.int(forKey: "max_header_bytes", default: maxHeaderBytes)
    }

    var problems: [String] {
        let values: [(String, Double)] = [
            ("connections.header_timeout", headerTimeout), ("connections.body_timeout", bodyTimeout),
            ("connections.idle_timeout", idleTimeout), ("connections.max_header_bytes", Double(maxHeaderBytes)),
        ]
        return values.filter { $0.1 <= 0 }.map { "\($0.0) must be positive" }
    }
}
