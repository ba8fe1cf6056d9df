import CSpawn
import Dispatch
import Glibc
import Synchronization

/// A request waiting for, or held by, a worker.
final class Job: Sendable {
    let id: UInt64
    let kind: UInt8
    let body: [UInt8]
    let continuation: AsyncThrowingStream<Frame, any Error>.Continuation
    let priority: RequestPriority

    init(
        id: UInt64, kind: UInt8, body: [UInt8], continuation: AsyncThrowingStream<Frame, any Error>.Continuation,
        priority: RequestPriority
    ) {
        self.id = id
        self.kind = kind
        self.body = body
        self.continuation = continuation
        self.priority = priority
    }
}

/// Where a request waits for a worker.
public enum RequestPriority: Sendable, Equatable {
    /// In turn, and refused as busy when the queue is full (background work aside).
    case normal
    /// Before normal and continuing requests, and refused as busy when the queue holds its limit of first and
    /// urgent requests: the start of new work a listener waits for (a speech's first piece).
    case first
    /// In turn, never refused as busy: the next part of work already accepted.
    case continuation
    /// Before every other request, never refused as busy: work a listener is in the middle of, such as the rest of
    /// a speech whose worker died.
    case urgent
    /// After every other request, never refused as busy and never counted as waiting: work nobody waits for (a
    /// reading made before anyone asks), which only a worker the others leave idle takes.
    case background

    /// Where a job of this priority goes in a queue: the place before the first job it outranks.
    var rank: Int {
        switch self {
        case .background: -1
        case .normal, .continuation: 0
        case .first: 1
        case .urgent: 2
        }
    }
}

/// One worker process, the thread that reads its frames and the queue that writes them.
final class WorkerProcess: Sendable {
    enum Phase: Sendable { case starting, idle, busy, exited }
    enum EndReason: Sendable { case timedOut(Duration), cancelled, shutdown }

    struct State: Sendable {
        var phase: Phase = .starting
        var job: Job?
        var endReason: EndReason?
        var ready: CheckedContinuation<UInt32, any Error>?
        var startupResult: Result<UInt32, WorkerError>?
        var requestsServed = 0
        var inputClosed = false
        var wasReady = false
    }

    let slot: Int
    let pid: pid_t
    let pool: String
    private let answerEnds: Set<UInt8>
    private let stdinFD: Int32
    private let stdoutFD: Int32
    /// Frames are written in order, off the caller's thread, by one queue per worker.
    private let writer: DispatchQueue
    private let onIdle: @Sendable (WorkerProcess) -> Void
    let state = Mutex(State())

    private init(
        slot: Int, pid: pid_t, pool: String, answerEnds: Set<UInt8>, stdinFD: Int32, stdoutFD: Int32,
        onIdle: @escaping @Sendable (WorkerProcess) -> Void
    ) {
        self.slot = slot
        self.pid = pid
        self.pool = pool
        self.answerEnds = answerEnds
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.writer = DispatchQueue(label: "qari.\(pool).worker\(slot).write")
        self.onIdle = onIdle
    }

    /// Starts the process; `onExit` runs on the reader thread once it has exited and been reaped.
    static func spawn(
        slot: Int, pool: String, command: WorkerCommand, answerEnds: Set<UInt8>,
        onIdle: @escaping @Sendable (WorkerProcess) -> Void,
        onExit: @escaping @Sendable (WorkerProcess, String) -> Void
    ) throws(WorkerError) -> WorkerProcess {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        // Close-on-exec from the start: only the child's dup2'd copies (0 and 1) survive exec.
        guard pipe2(&toChild, O_CLOEXEC) == 0 else { throw .unavailable("pipe: \(errnoString())") }
        guard pipe2(&fromChild, O_CLOEXEC) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw .unavailable("pipe: \(errnoString())")
        }
        let pid: pid_t
        do {
            pid = try Subprocess.spawn(command, fds: [(0, toChild[0]), (1, fromChild[1])])
        } catch {
            for fd in toChild + fromChild { close(fd) }
            throw error
        }
        close(toChild[0])
        close(fromChild[1])
        let worker = WorkerProcess(
            slot: slot, pid: pid, pool: pool, answerEnds: answerEnds, stdinFD: toChild[1], stdoutFD: fromChild[0],
            onIdle: onIdle)
        startThread { worker.readLoop(onExit: onExit) }
        return worker
    }

    /// Waits for the worker's ready frame; returns its info word.
    func waitUntilReady() async throws -> UInt32 {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<UInt32, any Error>) in
            let early: Result<UInt32, WorkerError>? = state.withLock { s in
                if let r = s.startupResult { return r }
                s.ready = c
                return nil
            }
            if let early { c.resume(with: early) }
        }
    }

    /// Hands `job` to this worker; false when the worker has already ended (its exit not yet seen by the pool).
    func begin(_ job: Job) -> Bool {
        let taken = state.withLock { s in
            guard s.phase != .exited else { return false }
            s.phase = .busy
            s.job = job
            s.endReason = nil
            return true
        }
        guard taken else { return false }
        write(Frame(kind: job.kind, id: job.id, body: job.body))
        return true
    }

    /// Queues a frame for the worker; a failed write means the worker died, and its reader reports that.
    private func write(_ frame: Frame) {
        let bytes = frame.encoded()
        let fd = stdinFD
        writer.async { [self] in
            // Once input is closed the descriptor may be another file's: nothing more is written.
            guard !state.withLock({ $0.inputClosed }) else { return }
            _ = writeAll(fd: fd, bytes: bytes)
        }
    }

    /// Ends the process now, failing its job with `reason`.
    func kill(reason: EndReason) {
        state.withLock { s in
            // Once the worker has ended, its pid may be reused by another process: never signal it then.
            guard s.phase != .exited else { return }
            if s.endReason == nil { s.endReason = reason }
            Glibc.kill(pid, SIGKILL)
        }
    }

    /// Asks the worker to exit once its current request is done (after the frames already queued).
    func closeInput() {
        let first = state.withLock { s in
            defer { s.inputClosed = true }
            return !s.inputClosed
        }
        let fd = stdinFD
        if first { writer.async { close(fd) } }
    }

    private func readLoop(onExit: @Sendable (WorkerProcess, String) -> Void) {
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var protocolProblem: String?
        reading: while true {
            let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            do {
                while let incoming = try decoder.next() {
                    if deliver(incoming) { onIdle(self) }
                }
            } catch {
                protocolProblem = "\(error)"
                Glibc.kill(pid, SIGKILL)
                break reading
            }
        }
        close(stdoutFD)
        // Seen ended before it is reaped, so that no job is handed to it and no signal reaches a reused pid.
        Subprocess.waitUntilEnded(pid)
        state.withLock { $0.phase = .exited }
        let status = Subprocess.wait(pid)
        let how = protocolProblem.map { "broke the protocol (\($0))" } ?? Subprocess.describe(status: status)
        let pool = self.pool
        let (job, reason, startup) = state.withLock { s in
            s.phase = .exited
            let job = s.job
            s.job = nil
            let startup = s.ready
            s.ready = nil
            if s.startupResult == nil { s.startupResult = .failure(.unavailable("the \(pool) worker \(how)")) }
            return (job, s.endReason, startup)
        }
        startup?.resume(throwing: WorkerError.unavailable("the \(pool) worker \(how) before it was ready"))
        if let job {
            switch reason {
            case .timedOut(let limit): job.continuation.finish(throwing: WorkerError.timedOut(pool: pool, limit: limit))
            case .cancelled: job.continuation.finish(throwing: CancellationError())
            case .shutdown: job.continuation.finish(throwing: WorkerError.shuttingDown(pool: pool))
            case nil: job.continuation.finish(throwing: WorkerError.crashed(pool: pool, how: how))
            }
        }
        closeInput()
        onExit(self, how)
    }

    /// Routes one frame; true when it ended the current job.
    private func deliver(_ incoming: Incoming) -> Bool {
        let frame: Frame
        switch incoming {
        case .ready(let info, _):
            let c = state.withLock { s in
                s.phase = .idle
                s.wasReady = true
                s.startupResult = .success(info)
                defer { s.ready = nil }
                return s.ready
            }
            c?.resume(returning: info)
            return false
        case .frame(let f):
            frame = f
        }
        guard let job = state.withLock({ $0.job }),
            frame.id == job.id || frame.id == 0 && frame.kind == Frame.failureKind
        else { return false }
        if frame.kind == Frame.failureKind {
            finishJob()
            let message = (try? frame.failureMessage()) ?? "the \(pool) worker failed"
            job.continuation.finish(throwing: WorkerError.failed(pool: pool, message: message))
            return true
        }
        guard answerEnds.contains(frame.kind) else {
            job.continuation.yield(frame)
            return false
        }
        // The job is finished before its last frame is delivered: a consumer that stops reading after that frame
        // must not see the job still running and cancel (kill) the worker.
        finishJob()
        job.continuation.yield(frame)
        job.continuation.finish()
        return true
    }

    private func finishJob() {
        state.withLock { s in
            s.job = nil
            s.phase = .idle
            s.requestsServed += 1
        }
    }
}
