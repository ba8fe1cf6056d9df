import Glibc
import QariTestSupport
import QariWorkers
import Testing

@testable import QariSpeech

/// With speech workers below the daemon's priority, one keeps the daemon's for the first pieces a listener waits
/// for: it never takes the later pieces of speeches under way, so it is free when a first piece comes.
@Suite struct PromptWorkerTests {
    @Test func theWorkerAtTheDaemonsPriorityIsKeptForFirstPieces() async throws {
        let pool = WorkerPool.speech(
            .speech(workers: 2, queueLimit: 8, command: Support.workerCommand(), niceness: 5))
        try await pool.start()
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let niceness = await pool.status().workers.map {
            getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t($0.pid))
        }
        #expect(niceness == [own, min(own + 5, 19)])
        func until(_ condition: (WorkerPoolStatus) -> Bool) async throws {
            for _ in 0..<6000 where !condition(await pool.status()) { try await Task.sleep(for: .milliseconds(10)) }
        }
        // A later piece of a long speech holds the lower-priority worker.
        let long = try Support.holdingText()
        let hold = SpeechRequestMessage.synthesize(voice: "fr", options: .init(), text: long).encoded
        let holder = Task {
            for try await _ in try await pool.request(kind: hold.kind, body: hold.body, priority: .continuation) {}
        }
        try await until { $0.workers.map(\.state) == ["idle", "busy"] }
        // Another later piece waits for it, though the other worker is idle.
        let order = OrderLog()
        let m = SpeechRequestMessage.phonemes(voice: "fr", ipa: false, text: "a").encoded
        let later = try await pool.request(kind: m.kind, body: m.body, priority: .continuation)
        let laterDone = Task {
            for try await _ in later {}
            order.add("later")
        }
        let status = await pool.status()
        #expect(status.queued == 1 && status.workers.map(\.state) == ["idle", "busy"])
        // A first piece is taken at once by the worker kept for it, and answered while the long speech goes on.
        for try await _ in try await pool.request(kind: m.kind, body: m.body, priority: .first) {}
        order.add("first")
        #expect(await pool.status().workers[1].state == "busy")
        holder.cancel()
        _ = await holder.result
        try await laterDone.value
        #expect(order.names == ["first", "later"])
        await pool.shutdown()
    }
}
