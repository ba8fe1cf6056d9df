import Configuration
import Foundation
import QariReading
import QariSpeech
import QariText

extension ConfigReader {
    func value(_ s: Setting<String>) -> String { string(forKey: ConfigKey(s.key), default: s.default) }
    func value(_ s: Setting<String?>) -> String? { string(forKey: ConfigKey(s.key)) }
    func value(_ s: Setting<Int>) -> Int { int(forKey: ConfigKey(s.key), default: s.default) }
    func value(_ s: Setting<Int?>) -> Int? { int(forKey: ConfigKey(s.key)) }
    func value(_ s: Setting<Double>) -> Double { double(forKey: ConfigKey(s.key), default: s.default) }
    func value(_ s: Setting<Bool>) -> Bool { bool(forKey: ConfigKey(s.key), default: s.default) }
    func value(_ s: Setting<[String]>) -> [String] {
        stringArray(forKey: ConfigKey(s.key), isSecret: s.isSecret, default: s.default)
    }
}

extension ServerConfiguration {
    /// The daemon's settings from `reader` (the keys of `Settings`); a key not set keeps its default.
    public init(reader: ConfigReader) {
        self.init()
        let s = Settings.self
        host = reader.value(s.host)
        port = reader.value(s.port)
        log = LogSettings(level: reader.value(s.logLevel), format: reader.value(s.logFormat))
        metrics = reader.value(s.metrics)
        // Unset: the shipped lexicons; "none": none.
        lexicons = LexiconSet.paths(
            named: reader.stringArray(forKey: ConfigKey(s.lexicons.key), default: LexiconSet.paths(named: [])))
        let timeout = reader.value(s.workersTimeout)
        let speech = reader.value(s.workersSpeech)
        let queue = reader.value(s.workersQueueLimit)
        let niceness = reader.value(s.workersSpeechNiceness)
        readProblems += [
            s.workersSpeech.problem(speech), s.workersQueueLimit.problem(queue),
            s.workersSpeechNiceness.problem(niceness),
        ].compactMap { $0 }
        pool = .speech(
            workers: speech, queueLimit: queue, requestTimeout: .milliseconds(Int(timeout * 1000)), niceness: niceness)
        diacritizerWorkers = reader.int(forKey: ConfigKey(s.workersDiacritizer.key), default: diacritizerWorkers)
        maxTextLength = reader.value(s.textMaxChars)
        page.maxBytes = reader.value(s.pageMaxBytes)
        page.readSelector = reader.value(s.pageReadSelector)
        let size = reader.value(s.cacheSize)
        cache.limit = CacheConfiguration.bytes(size) ?? -1
        readProblems += [s.cacheSize.problem(size)].compactMap { $0 }
        if reader.value(s.cacheEnabled) {
            cache.directory = reader.string(
                forKey: ConfigKey(s.cacheDirectory.key), default: CacheConfiguration.defaultDirectory())
        } else {
            _ = reader.value(s.cacheDirectory)
            cache.directory = nil
        }
        reports.path = reader.string(forKey: ConfigKey(s.reportsDB.key), default: reports.path ?? "")
        reports.limit = reader.value(s.reportsMax)
        privacy.pages = reader.value(s.privatePages)
        let ttl = reader.value(s.privateTTL)
        privacy.limits.ttl = .milliseconds(Int(min(ttl, 86400 * 365) * 1000))
        readProblems += [s.privateTTL.problem(ttl)].compactMap { $0 }
        let memory = reader.value(s.privateMemory)
        privacy.limits.memory = CacheConfiguration.bytes(memory) ?? -1
        readProblems += [s.privateMemory.problem(memory)].compactMap { $0 }
        warm.sitemap = reader.value(s.warmSitemap)
        warm.every = reader.value(s.warmEvery)
        warm.connections = reader.value(s.warmConnections)
        warm.delay = reader.value(s.warmDelay)
        readProblems += [
            s.warmEvery.problem(warm.every), s.warmConnections.problem(warm.connections),
            s.warmDelay.problem(warm.delay),
        ].compactMap { $0 }
        let instance = reader.value(s.privateInstance)
        privacy.limits.instance = instance ?? String(port)
        readProblems += [s.privateInstance.problem(instance)].compactMap { $0 }
        access.apiKeys = reader.value(s.apiKeys).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        access.trustedProxies = reader.value(s.proxiesTrusted)
        access.corsOrigins = reader.value(s.corsOrigins)
        access.readingsPerMinute = reader.value(s.readingsPerMinute)
        access.readingsBurst = reader.value(s.readingsBurst)
        access.requestsPerMinute = reader.value(s.requestsPerMinute)
        access.requestsBurst = reader.value(s.requestsBurst)
        access.concurrentPerClient = reader.value(s.concurrentPerClient)
        access.reportsPerHour = reader.value(s.reportsPerHour)
        connections.headerTimeout = reader.value(s.headerTimeout)
        connections.bodyTimeout = reader.value(s.bodyTimeout)
        connections.idleTimeout = reader.value(s.idleTimeout)
        connections.maxHeaderBytes = reader.value(s.maxHeaderBytes)
    }

    /// Every rule a setting must keep, each broken one as a line (empty: all kept).
    public var problems: [String] {
        let s = Settings.self
        var problems = readProblems
        problems += [
            s.port.problem(port), s.workersDiacritizer.problem(diacritizerWorkers),
            s.workersTimeout.problem(pool.requestTimeout / .seconds(1)),
            s.textMaxChars.problem(maxTextLength), s.pageMaxBytes.problem(page.maxBytes),
            s.logLevel.problem(log.level), s.logFormat.problem(log.format), s.reportsMax.problem(reports.limit),
            s.privatePages.problem(privacy.pages),
            s.apiKeys.problem(access.apiKeys), s.proxiesTrusted.problem(access.trustedProxies),
            s.corsOrigins.problem(access.corsOrigins), s.readingsPerMinute.problem(access.readingsPerMinute),
            s.readingsBurst.problem(access.readingsBurst), s.requestsPerMinute.problem(access.requestsPerMinute),
            s.requestsBurst.problem(access.requestsBurst),
            s.concurrentPerClient.problem(access.concurrentPerClient),
            s.reportsPerHour.problem(access.reportsPerHour), s.headerTimeout.problem(connections.headerTimeout),
            s.bodyTimeout.problem(connections.bodyTimeout), s.idleTimeout.problem(connections.idleTimeout),
            s.maxHeaderBytes.problem(connections.maxHeaderBytes),
        ].compactMap { $0 }
        do {
            _ = try LexiconSet(paths: lexicons)
        } catch {
            problems.append("\(s.lexicons.key): \(error)")
        }
        if access.apiKeys.isEmpty, !Self.isLoopback(host) {
            problems.append(
                "\(s.host.key) \(host) is not loopback and no API keys are set: the portal's routes would be open to "
                    + "the network (set \(s.apiKeys.key) or \(s.apiKeys.description.environmentName))")
        }
        return problems
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}

extension AccessConfiguration {
    /// A key as an operator can compare it without seeing it: `sha256:` and the first 8 hex digits.
    public static func fingerprint(_ key: String) -> String {
        "sha256:" + ContentHash.sha256(Array(key.utf8)).prefix(8)
    }
}
