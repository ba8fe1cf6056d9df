import QariTestSupport
import QariWorkers
import Testing

@testable import QariSpeech

/// Work nobody waits for (a warm) takes only workers listeners leave idle, and never fills the queue for them.
@Suite struct BackgroundPriorityTests {
    @Test func aListenerGoesBeforeQueuedBackgroundWorkAndIsNeverRefusedForIt() async throws {
        let pool = try await Support.pool(workers: 1, queueLimit: 1)
        // Hold the one worker (as the passage in hand) until two background requests and a listener's are queued.
        let long = try Support.holdingText()
        let hold = SpeechRequestMessage.synthesize(voice: "fr", options: .init(), text: long).encoded
        let holder = Task {
            for try await _ in try await pool.request(kind: hold.kind, body: hold.body, priority: .background) {}
        }
        func until(_ condition: (WorkerPoolStatus) -> Bool) async throws {
            for _ in 0..<6000 where !condition(await pool.status()) { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await until { $0.workers.contains { $0.state == "busy" } }
        let order = OrderLog()
        var tasks: [Task<Void, any Error>] = []
        for (n, name) in ["warm-1", "warm-2"].enumerated() {
            tasks.append(
                Task {
                    let m = SpeechRequestMessage.phonemes(voice: "fr", ipa: false, text: "a").encoded
                    _ = try await pool.call(kind: m.kind, body: m.body, priority: .background)
                    order.add(name)
                })
            try await until { $0.queued > n }
        }
        // The queue holds one listener's request at most: background work does not count, so this one is taken.
        tasks.append(
            Task {
                let m = SpeechRequestMessage.phonemes(voice: "fr", ipa: false, text: "b").encoded
                _ = try await pool.call(kind: m.kind, body: m.body, priority: .normal)
                order.add("listener")
            })
        try await until { $0.queued == 3 }
        holder.cancel()
        for t in tasks { try await t.value }
        _ = await holder.result
        #expect(order.names == ["listener", "warm-1", "warm-2"])
        await pool.shutdown()
    }
}
