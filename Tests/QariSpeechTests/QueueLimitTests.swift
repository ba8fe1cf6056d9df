import QariTestSupport
import QariWorkers
import Testing

@testable import QariSpeech

/// The queue limit bounds a listener's wait: a request is refused as busy for what would go before it, so a new
/// speech's first piece is not refused for the later pieces of speeches under way (a reading another client is
/// halfway through), which it goes before.
@Suite struct QueueLimitTests {
    @Test func aFirstPieceIsRefusedOnlyForTheFirstPiecesAheadOfIt() async throws {
        let pool = try await Support.pool(workers: 1, queueLimit: 2)
        // Hold the one worker (as a passage in hand) while the queue fills, whatever else this machine is doing.
        let long = try Support.holdingText()
        let hold = SpeechRequestMessage.synthesize(voice: "fr", options: .init(), text: long).encoded
        let holder = Task {
            for try await _ in try await pool.request(kind: hold.kind, body: hold.body, priority: .continuation) {}
        }
        func until(_ condition: (WorkerPoolStatus) -> Bool) async throws {
            for _ in 0..<6000 where !condition(await pool.status()) { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await until { $0.workers.contains { $0.state == "busy" } }
        let order = OrderLog()
        var tasks: [Task<Void, any Error>] = []
        // Two later pieces of speeches under way fill the queue to its limit.
        for name in ["later-1", "later-2"] {
            let m = SpeechRequestMessage.phonemes(voice: "fr", ipa: false, text: "a").encoded
            let stream = try await pool.request(kind: m.kind, body: m.body, priority: .continuation)
            tasks.append(
                Task {
                    for try await _ in stream {}
                    order.add(name)
                })
        }
        #expect(await pool.status().queued == 2)
        func refused(_ priority: RequestPriority) async -> Bool {
            let m = SpeechRequestMessage.phonemes(voice: "fr", ipa: false, text: "a").encoded
            do {
                let stream = try await pool.request(kind: m.kind, body: m.body, priority: priority)
                tasks.append(
                    Task {
                        for try await _ in stream {}
                        order.add(priority == .first ? "first" : "normal")
                    })
                return false
            } catch {
                guard case .busy = error else { return false }
                return true
            }
        }
        // An ordinary request would wait behind both: refused at once.
        #expect(await refused(.normal))
        // A first piece goes before them: taken, and so is a second; a third would wait behind two first pieces.
        #expect(!(await refused(.first)))
        #expect(!(await refused(.first)))
        #expect(await refused(.first))
        holder.cancel()
        for t in tasks { try await t.value }
        _ = await holder.result
        #expect(order.names == ["first", "first", "later-1", "later-2"], "\(order.names)")
        await pool.shutdown()
    }
}
