import ArgumentParser
import Foundation
import Logging
import QariServer
import QariSpeech

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP daemon.",
        discussion: """
            Settings come from the flags, then QARI_… environment variables (QARI_API_KEYS=k1,k2, \
            QARI_LIMITS_READINGS_PER_MINUTE=…), then the --config file; deploy/qari.example.json names every key.
            """)

    @Option(help: "A JSON configuration file (see deploy/qari.example.json).") var config: String?
    @Flag(help: "Check the configuration, print the effective settings (API keys as fingerprints), and exit.")
    var checkConfig = false
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8470).") var port: Int?
    @Option(help: "Speech worker processes (default: one per core).") var workers: Int?
    @Option(help: "Requests that may wait for a worker before new ones get 503 (default: twice the workers).")
    var queueLimit: Int?
    @Option(help: "Seconds one request may hold a worker (default 60).") var timeout: Double?
    @Option(help: "Arabic diacritizer processes (default: 2 with 4 cores or more, else 1).") var diacritizers: Int?
    @Option(help: "Longest text, in characters, a request may carry (default 100000).") var maxText: Int?
    @Option(help: "Largest page, in bytes, /v1/read accepts (default 5 MiB).") var maxPage: Int?
    @Option(help: "CSS selector of the reading area for pages without data-qari-read.") var readSelector: String?
    @Option(help: "Folder of the reading cache (default: $QARI_CACHE/readings or .build/qari-readings).")
    var cacheDir: String?
    @Option(help: "Most bytes the reading cache keeps; suffixes K, M, G (default 1G).") var cacheSize: String?
    @Flag(help: "Keep no readings on disk (they live in memory while made and a little after).") var noCache = false
    @Option(
        name: .customLong("lexicon"),
        help:
            "A pronunciation lexicon (W3C PLS 1.0), re-read on SIGHUP; repeatable; \"none\" for none (default: lexicons/*.pls)."
    )
    var lexicons: [String] = []
    @Option(help: "Log level: trace, debug, info, notice, warning, error (default info).") var logLevel: String?
    @Option(help: "Log lines as text or json (default text).") var logFormat: String?

    /// "500M", "2G", "1000000" in bytes (powers of 1000, as disks count).
    static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1000, "M": 1_000_000, "G": 1_000_000_000]
        guard let last = text.uppercased().last else { return nil }
        if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit }.flatMap { $0 >= 0 ? $0 : nil } }
        return Int(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// The file's and the environment's settings with this command's flags over them.
    func settings() async throws -> ServeSettings {
        var s = try await ServeSettings.load(file: config)
        if let host { s.host = host }
        if let port { s.port = port }
        if let workers { s.workers = workers }
        if let queueLimit { s.queueLimit = queueLimit }
        if let timeout { s.timeout = timeout }
        if let diacritizers { s.diacritizers = diacritizers }
        if let maxText { s.maxText = maxText }
        if let maxPage { s.maxPage = maxPage }
        if let readSelector { s.readSelector = readSelector }
        if let cacheDir { s.cacheDirectory = cacheDir }
        if let cacheSize { s.cacheSize = cacheSize }
        if noCache { s.cacheEnabled = false }
        if let logLevel { s.logLevel = logLevel }
        if let logFormat { s.logFormat = logFormat }
        if !lexicons.isEmpty { s.lexicons = lexicons }
        try s.validate()
        return s
    }

    func run() async throws {
        ProcessMemory.limitArenas(2)
        let s = try await settings()
        if checkConfig {
            print(s.report())
            return
        }
        let level = Logger.Level(rawValue: s.logLevel) ?? .info
        let json = s.logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "qari")
        let app = try await buildApplication(configuration: s.server(), logger: logger)
        try await app.runService()
    }
}
