import ArgumentParser
import Logging
import QariPage
import QariServer
import QariSpeech
import QariWorkers

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP daemon.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8470
    @Option(help: "Speech worker processes (default: one per core).") var workers: Int?
    @Option(help: "Requests that may wait for a worker before new ones get 503.") var queueLimit = 64
    @Option(help: "Seconds one request may hold a worker.") var timeout = 60.0
    @Option(help: "Longest text, in characters, a request may carry.") var maxText = 100_000
    @Option(help: "Largest page, in bytes, /v1/read accepts.") var maxPage = 5 << 20
    @Option(help: "CSS selector of the reading area for pages without data-qari-read.") var readSelector: String?
    @Option(help: "Folder of the reading cache (default: $QARI_CACHE/readings or .build/qari-readings).")
    var cacheDir: String?
    @Option(help: "Most bytes the reading cache keeps; suffixes K, M, G (default 1G).") var cacheSize = "1G"
    @Flag(help: "Keep no readings on disk (they live in memory while made and a little after).") var noCache = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port \(port) is not a TCP port") }
        if let workers, !(1...64).contains(workers) { throw ValidationError("--workers must be from 1 to 64") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard maxText > 0 else { throw ValidationError("--max-text must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard Self.bytes(cacheSize) != nil else {
            throw ValidationError("--cache-size \(cacheSize) is not a size (e.g. 500M, 2G, 1000000)")
        }
    }

    /// "500M", "2G", "1000000" in bytes (powers of 1000, as disks count).
    static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1000, "M": 1_000_000, "G": 1_000_000_000]
        guard let last = text.uppercased().last else { return nil }
        if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit }.flatMap { $0 >= 0 ? $0 : nil } }
        return Int(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    func run() async throws {
        var logger = Logger(label: "qari")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let pool = WorkerPoolConfiguration.speech(
            workers: workers, queueLimit: queueLimit, requestTimeout: .milliseconds(Int(timeout * 1000)))
        let configuration = ServerConfiguration(
            host: host, port: port, pool: pool, maxTextLength: maxText,
            page: PageOptions(readSelector: readSelector, maxBytes: maxPage),
            cache: CacheConfiguration(
                directory: noCache ? nil : cacheDir ?? CacheConfiguration.defaultDirectory(),
                limit: Self.bytes(cacheSize) ?? 1_000_000_000))
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
