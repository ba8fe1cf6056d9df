import Foundation
import Logging
import QariReading
import QariServer
import ServiceLifecycle

/// The daemon's own warming: the pages of `warm.sitemap` made into readings through the daemon's own address, as
/// `qari warm` makes them, at start (so an upgrade is warmed), after each lexicon reload and every `warm.every`.
///
/// Only workers listeners leave idle make them (`Qari-Priority: background`), so a listener waits behind a warm
/// for the passage in hand at most.
struct DaemonWarming: Service {
    let settings: WarmConfiguration
    let readings: Readings
    /// The daemon's own address.
    let daemon: URL
    let logger: Logger
    /// How often the lexicons are looked at for a reload.
    static let lexiconCheck = Duration.seconds(5)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            guard await self.listening() else {
                self.logger.error(
                    "warming: the daemon never answered at its own address", metadata: ["url": "\(self.daemon)"])
                return
            }
            while !Task.isCancelled {
                let lexicons = self.readings.speaker.lexicons.current.fingerprint
                await self.warm()
                let next = ContinuousClock.now + .milliseconds(Int(self.settings.every * 1000))
                while ContinuousClock.now < next, !Task.isCancelled {
                    try await Task.sleep(for: min(Self.lexiconCheck, next - ContinuousClock.now))
                    if self.readings.speaker.lexicons.current.fingerprint != lexicons { break }
                }
            }
        }
    }

    /// Whether the daemon answers at its own address (it starts listening after the services start).
    func listening() async -> Bool {
        let fetcher = WarmFetcher(timeout: 2)
        for _ in 0..<600 {
            if let answer = try? await fetcher.get(daemon.appendingPathComponent("health")), answer.status == 200 {
                return true
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// One warm of the sitemap's pages; its summary in the log (counts and failures' reasons, never page text).
    func warm() async {
        guard let sitemap = settings.sitemap else { return }
        let status = readings.warming
        status.warms.add(1, ordering: .relaxed)
        let fetcher = WarmFetcher(timeout: 120)
        let pages: [WarmPage]
        do {
            pages = try await WarmSources(fetcher: fetcher).pages([sitemap])
        } catch {
            status.failed.add(1, ordering: .relaxed)
            logger.error("warming: the sitemap could not be read", metadata: ["error": "\(error)"])
            return
        }
        status.pages.store(pages.count, ordering: .relaxed)
        status.done.store(0, ordering: .relaxed)
        logger.info("warming", metadata: ["pages": "\(pages.count)"])
        let counts = WarmCounts()
        let worker = WarmWorker(fetcher: fetcher, daemon: daemon, delay: settings.delay)
        await WarmQueue(pages).drain(connections: settings.connections, worker: worker) { page, outcome in
            status.done.add(1, ordering: .relaxed)
            if case .failed(let why) = outcome {
                status.failed.add(1, ordering: .relaxed)
                logger.warning("warming: a page failed", metadata: ["page": "\(page)", "why": "\(why)"])
            }
            await counts.add(outcome)
        }
        let c = await counts.summary
        logger.info(
            "warmed",
            metadata: [
                "pages": "\(pages.count)", "made": "\(c.made)", "reused": "\(c.reused)", "skipped": "\(c.skipped)",
                "failed": "\(c.failed)",
            ])
    }
}

/// A warm's outcomes, counted.
actor WarmCounts {
    var made = 0
    var reused = 0
    var skipped = 0
    var failed = 0

    func add(_ outcome: WarmOutcome) {
        switch outcome {
        case .made: made += 1
        case .reused: reused += 1
        case .skipped: skipped += 1
        case .failed: failed += 1
        }
    }

    var summary: (made: Int, reused: Int, skipped: Int, failed: Int) { (made, reused, skipped, failed) }
}
