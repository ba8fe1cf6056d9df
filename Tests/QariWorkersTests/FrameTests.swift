import Glibc
import Testing

@testable import QariWorkers

@Suite struct FrameTests {
    static let frames: [Frame] = [
        Frame(kind: 1, id: 7, body: Array("مرحبا ✓".utf8)),
        Frame(kind: 2, id: 8, body: []),
        Frame(kind: 99, id: .max, body: [0, 1, 2, 255]),
        .failure(id: 9, message: "no voice"),
    ]

    @Test func everyFrameSurvivesTheWire() throws {
        for frame in Self.frames {
            var decoder = FrameDecoder()
            frame.encoded().withUnsafeBytes { decoder.append($0) }
            #expect(try decoder.next() == .frame(frame))
            #expect(try decoder.next() == nil)
        }
        var decoder = FrameDecoder()
        Frame.ready(info: 22050, pid: 1234).withUnsafeBytes { decoder.append($0) }
        #expect(try decoder.next() == .ready(info: 22050, pid: 1234))
        #expect(try Frame.failure(id: 1, message: "no voice").failureMessage() == "no voice")
    }

    @Test func framesSplitAcrossReadsAreReassembled() throws {
        let bytes = Frame.ready(info: 1, pid: 2) + Self.frames.flatMap { $0.encoded() }
        var decoder = FrameDecoder()
        var decoded: [Incoming] = []
        // Feed the stream three bytes at a time, as a pipe may deliver it.
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(i + 3, bytes.count)])
            piece.withUnsafeBytes { decoder.append($0) }
            while let m = try decoder.next() { decoded.append(m) }
            i += 3
        }
        #expect(decoded == [.ready(info: 1, pid: 2)] + Self.frames.map { .frame($0) })
    }

    @Test func garbageIsRejectedNotTrusted() {
        var decoder = FrameDecoder()
        // A frame claiming 2 GiB.
        ([0xff, 0xff, 0xff, 0x7f, 11] as [UInt8]).withUnsafeBytes { decoder.append($0) }
        #expect(throws: FrameError.self) { try decoder.next() }

        var truncated = FrameDecoder()
        // A frame too short to hold its request id.
        ([2, 0, 0, 0, 13, 1, 2] as [UInt8]).withUnsafeBytes { truncated.append($0) }
        #expect(throws: FrameError.self) { try truncated.next() }

        var reader = ByteReader([3, 0, 0, 0, 0xff, 0xfe, 0xfd] as [UInt8])
        #expect(throws: FrameError.self) { try reader.string() }
        var counted = ByteReader([0xff, 0xff, 0, 0] as [UInt8])
        #expect(throws: FrameError.self) { try counted.count() }
    }
}

@Suite struct PoolTests {
    /// A worker that says it is ready, then dies on the first byte of any request.
    static let dying = WorkerCommand(
        executable: "/bin/sh",
        arguments: [
            "-c", #"printf '\010\000\000\000\012\000\000\000\000\001\000\000\000'; head -c 1 >/dev/null; exit 3"#,
        ])

    @Test func aWorkerThatDiesFailsItsRequestInThePoolsNameAndIsReplaced() async throws {
        let pool = WorkerPool(
            name: "echo", configuration: .init(workers: 1, queueLimit: 4, command: Self.dying), answerEnds: [2])
        try await pool.start()
        let first = await pool.status()
        #expect(first.name == "echo" && first.isUp)
        for _ in 0..<2 {
            await #expect(throws: WorkerError.crashed(pool: "echo", how: "exited with status 3")) {
                _ = try await pool.call(kind: 1, body: [1, 2, 3])
            }
            // The replacement starts with back-off; wait for it before the next request.
            for _ in 0..<200 where await !pool.status().isUp { try await Task.sleep(for: .milliseconds(10)) }
        }
        let status = await pool.status()
        #expect(status.crashes == 2 && status.restarts == 2 && status.isUp)
        await pool.shutdown()
        #expect(await pool.status().status == "down")
        await #expect(throws: WorkerError.shuttingDown(pool: "echo")) {
            _ = try await pool.call(kind: 1, body: [])
        }
    }

    /// Workers run below the daemon's CPU priority by the pool's niceness, a replacement too.
    @Test func workersAndTheirReplacementsRunAtTheirNiceness() async throws {
        let pool = WorkerPool(
            name: "echo", configuration: .init(workers: 2, queueLimit: 4, command: Self.dying, niceness: 7),
            answerEnds: [2])
        try await pool.start()
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        func niceness() async -> [Int32] {
            await pool.status().workers.map { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t($0.pid)) }
        }
        #expect(await niceness() == [min(own + 7, 19), min(own + 7, 19)])
        let before = Set(await pool.status().workers.map(\.pid))
        _ = try? await pool.call(kind: 1, body: [1])
        for _ in 0..<200 {
            let status = await pool.status()
            if status.workers.count == 2 && status.isUp && Set(status.workers.map(\.pid)) != before { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(Set(await pool.status().workers.map(\.pid)) != before, "no worker was replaced")
        #expect(await niceness() == [min(own + 7, 19), min(own + 7, 19)])
        await pool.shutdown()
    }

    @Test func requestsEndInTimeWhileWorkersKeepDyingBetweenRequests() async throws {
        // Workers that say they are ready, then die at once, idle: a request may be handed to one whose death the
        // pool has not heard of yet. Each request must still end (an error is fine) within its time limit.
        let flaky = WorkerCommand(
            executable: "/bin/sh",
            arguments: ["-c", #"printf '\010\000\000\000\012\000\000\000\000\001\000\000\000'; exit 0"#])
        let pool = WorkerPool(
            name: "flaky",
            configuration: .init(workers: 2, queueLimit: 64, requestTimeout: .milliseconds(400), command: flaky),
            answerEnds: [2])
        try await pool.start()
        var ended = 0
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    _ = try? await pool.call(kind: 1, body: [1])
                    return true
                }
                try await Task.sleep(for: .milliseconds(3))
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                return false
            }
            while ended < 40, let finished = try await group.next(), finished { ended += 1 }
            group.cancelAll()
        }
        #expect(ended == 40, "\(40 - ended) requests still waiting after 10 s")
        await pool.shutdown()
    }

    @Test func aWorkerThatCannotStartIsUnavailable() async throws {
        let pool = WorkerPool(
            name: "none",
            configuration: .init(workers: 1, command: WorkerCommand(executable: "/nonexistent", arguments: [])),
            answerEnds: [2])
        await #expect(throws: WorkerError.self) { try await pool.start() }
        #expect(await pool.status().status == "down")
    }
}
