import ArgumentParser
import Foundation
import Glibc

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `qari warm`: makes the readings of a list of pages before anyone asks, through a running daemon.
struct Warm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make the readings of pages before anyone asks (sitemaps, address lists, saved HTML files).",
        discussion: """
            Each page is fetched (politely, honouring robots.txt), sent to the daemon as the reader button sends it, \
            and its audio made and cached there. Pages done are written to the state file, so an interrupted run \
            goes on where it stopped.
            """)

    @Argument(
        help: "Sitemaps (files or http(s) addresses ending in .xml), lists of addresses, HTML files or addresses.")
    var sources: [String]
    @Option(help: "The daemon's address.") var daemon = "http://127.0.0.1:8080"
    @Option(help: "Pages warmed at once (connections to the portal and the daemon).") var connections = 2
    @Option(help: "Seconds each connection waits after fetching a page from the web.") var delay = 1.0
    @Option(help: "Seconds a page, or the daemon making its reading, may take.") var timeout = 120.0
    @Option(help: "The file that remembers the pages done, for a run that resumes.") var state = ".qari-warm-state"
    @Flag(help: "Warm every page again, forgetting the state file.") var fresh = false

    func validate() throws {
        guard connections >= 1, connections <= 16 else { throw ValidationError("--connections is 1 to 16") }
        guard delay >= 0, delay <= 60 else { throw ValidationError("--delay is 0 to 60 seconds") }
        guard timeout > 0 else { throw ValidationError("--timeout is more than 0 seconds") }
        guard let url = URL(string: daemon), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--daemon is an http(s) address, not \"\(daemon)\"")
        }
    }

    func run() async throws {
        let fetcher = WarmFetcher(timeout: timeout)
        let pages = try await WarmSources(fetcher: fetcher).pages(sources)
        guard !pages.isEmpty else { throw CLIError("no pages in \(sources.joined(separator: ", "))") }
        if fresh { try? FileManager.default.removeItem(atPath: state) }
        let log = try WarmLog(path: state)
        let done = log.done
        let todo = pages.filter { !done.contains($0.description) }
        let progress = WarmProgress(total: pages.count, already: pages.count - todo.count)
        let queue = WarmQueue(todo)
        let base = URL(string: daemon)!
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(connections, max(todo.count, 1)) {
                group.addTask {
                    let worker = WarmWorker(fetcher: fetcher, daemon: base, delay: delay)
                    while let page = await queue.next() {
                        let outcome = await worker.warm(page)
                        if case .failed = outcome {} else { log.record(page.description) }
                        await progress.add(page, outcome)
                    }
                }
            }
        }
        let summary = await progress.finish()
        print(summary.text)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// What warming one page came to.
enum WarmOutcome: Sendable {
    /// Its reading was made now (`passages` of it).
    case made(passages: Int)
    /// Its reading was already in the daemon's store.
    case reused(passages: Int)
    /// Not warmed, for a reason that is not a failure: robots.txt, a private page.
    case skipped(String)
    case failed(String)
}

/// Hands out the pages one at a time to the connections.
actor WarmQueue {
    var pages: [WarmPage]
    var index = 0
    init(_ pages: [WarmPage]) { self.pages = pages }
    func next() -> WarmPage? {
        guard index < pages.count else { return nil }
        defer { index += 1 }
        return pages[index]
    }
}

/// The state file: one line per page done, written as each is done, so an interruption loses none.
final class WarmLog: Sendable {
    let path: String
    let done: Set<String>
    let handle: FileHandle

    init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CLIError("\(path): cannot write the state file")
            }
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        done = Set(text.split(separator: "\n").map(String.init))
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("\(path): cannot write it") }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    /// Remembers `page` as done (one `write` of a whole line: lines of two connections never mix).
    func record(_ page: String) {
        handle.write(Data((page + "\n").utf8))
    }
}

/// The count so far, drawn as a bar with an ETA on a terminal, and the summary at the end.
actor WarmProgress {
    let total: Int
    let already: Int
    let started = ContinuousClock.now
    let terminal = isatty(2) != 0
    var made = 0
    var reused = 0
    var skipped: [(String, String)] = []
    var failures: [(String, String)] = []
    var passages = 0
    var finished = 0

    init(total: Int, already: Int) {
        self.total = total
        self.already = already
    }

    func add(_ page: WarmPage, _ outcome: WarmOutcome) {
        finished += 1
        switch outcome {
        case .made(let n):
            made += 1
            passages += n
        case .reused(let n):
            reused += 1
            passages += n
        case .skipped(let why): skipped.append((page.description, why))
        case .failed(let why):
            failures.append((page.description, why))
            if !terminal { FileHandle.standardError.write(Data("failed: \(page): \(why)\n".utf8)) }
        }
        draw()
    }

    func draw() {
        guard terminal else { return }
        let todo = total - already
        let width = 30
        let filled = todo == 0 ? width : width * finished / todo
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let eta = finished == 0 ? "?" : Self.duration(seconds / Double(finished) * Double(todo - finished))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\r[\(bar)] \(already + finished)/\(total) pages, \(failures.count) failed, ETA \(eta) "
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : s < 3600 ? "\(s / 60) min \(s % 60) s" : "\(s / 3600) h \(s % 3600 / 60) min"
    }

    func finish() -> (text: String, failed: Int) {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        var lines = [
            "pages \(total) (\(already) done before), passages \(passages), made \(made), reused \(reused), "
                + "skipped \(skipped.count), failed \(failures.count)"
        ]
        lines += skipped.map { "skipped: \($0.0): \($0.1)" }
        lines += failures.map { "failed: \($0.0): \($0.1)" }
        return (lines.joined(separator: "\n"), failures.count)
    }
}
