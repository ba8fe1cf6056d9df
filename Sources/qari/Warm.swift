import ArgumentParser
import Foundation
import Glibc
import QariServer

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
    @Option(help: "The daemon's address.") var daemon = "http://127.0.0.1:\(Settings.port.default)"
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
        let worker = WarmWorker(fetcher: fetcher, daemon: URL(string: daemon)!, delay: delay)
        await WarmQueue(todo).drain(connections: connections, worker: worker) { page, outcome in
            if case .failed = outcome {} else { log.record(page.description) }
            await progress.add(page, outcome)
        }
        let summary = await progress.finish()
        print(summary.text)
        if summary.failed > 0 { throw ExitCode(1) }
    }
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

    /// Warms every page with `connections` at once, telling `done` of each.
    nonisolated func drain(
        connections: Int, worker: WarmWorker, done: @escaping @Sendable (WarmPage, WarmOutcome) async -> Void
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(connections, 1) {
                group.addTask {
                    while !Task.isCancelled, let page = await self.next() { await done(page, await worker.warm(page)) }
                }
            }
        }
    }
}
