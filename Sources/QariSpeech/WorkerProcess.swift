import Glibc
import Synchronization

/// How to start a worker process: `qari worker` by default.
public struct WorkerCommand: Sendable {
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// `worker` run by this very executable, with eSpeak data at `dataPath` if given.
    public static func currentExecutable(dataPath: String? = nil) -> WorkerCommand {
        var args = ["worker"]
        if let dataPath { args += ["--data-path", dataPath] }
        return WorkerCommand(executable: currentExecutablePath(), arguments: args)
    }
}

/// The absolute path of the running executable.
public func currentExecutablePath() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return CommandLine.arguments[0] }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A request waiting for, or held by, a worker.
final class Job: Sendable {
    let id: UInt64
    let message: WorkerMessage
    let continuation: AsyncThrowingStream<WorkerEvent, any Error>.Continuation
    /// More texts of the same request, spoken by the same worker after `message` (nil: one message).
    let feed: ChunkFeed?

    init(
        id: UInt64, message: WorkerMessage, continuation: AsyncThrowingStream<WorkerEvent, any Error>.Continuation,
        feed: ChunkFeed? = nil
    ) {
        self.id = id
        self.message = message
        self.continuation = continuation
        self.feed = feed
    }
}

/// The texts after the first of a request spoken in chunks: the worker keeps the request until the feed is
/// finished and every chunk spoken, so a long text never waits in the queue again between its chunks.
public final class ChunkFeed: Sendable {
    struct State {
        var pending: [(text: String, voice: String?)] = []
        var finished = false
        var inFlight = true
        var completed = false
        var send: (@Sendable (String, String?) -> Void)?
        var complete: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    init() {}

    /// Speaks `text` after the texts before it, in `voice` (nil: the first text's voice).
    public func push(_ text: String, voice: String? = nil) {
        state.withLock { $0.pending.append((text, voice)) }
        pump()
    }

    /// No more texts: the request ends once the last one is spoken.
    public func finish() {
        state.withLock { $0.finished = true }
        pump()
    }

    /// Connects the feed to the worker that holds the request.
    func attach(send: @escaping @Sendable (String, String?) -> Void, complete: @escaping @Sendable () -> Void) {
        state.withLock {
            $0.send = send
            $0.complete = complete
        }
        pump()
    }

    /// The worker finished a chunk.
    func chunkEnded() {
        state.withLock { $0.inFlight = false }
        pump()
    }

    private func pump() {
        enum Action {
            case none
            case send(@Sendable (String, String?) -> Void, String, String?)
            case complete(@Sendable () -> Void)
        }
        let action: Action = state.withLock { s in
            guard !s.inFlight, !s.completed, let send = s.send, let complete = s.complete else { return .none }
            if !s.pending.isEmpty {
                s.inFlight = true
                let next = s.pending.removeFirst()
                return .send(send, next.text, next.voice)
            }
            if s.finished {
                s.completed = true
                return .complete(complete)
            }
            return .none
        }
        switch action {
        case .none: break
        case .send(let send, let text, let voice): send(text, voice)
        case .complete(let complete): complete()
        }
    }
}

/// One `qari worker` child process and the thread that reads its frames.
final class WorkerProcess: Sendable {
    enum Phase: Sendable { case starting, idle, busy, exited }
    enum EndReason: Sendable { case timedOut(Duration), cancelled, shutdown }

    struct State: Sendable {
        var phase: Phase = .starting
        var job: Job?
        var endReason: EndReason?
        var ready: CheckedContinuation<Int, any Error>?
        var startupResult: Result<Int, SpeechError>?
        var requestsServed = 0
        var inputClosed = false
        var wasReady = false
    }

    let slot: Int
    let pid: pid_t
    private let stdinFD: Int32
    private let stdoutFD: Int32
    private let onIdle: @Sendable (WorkerProcess) -> Void
    let state = Mutex(State())

    private init(
        slot: Int, pid: pid_t, stdinFD: Int32, stdoutFD: Int32, onIdle: @escaping @Sendable (WorkerProcess) -> Void
    ) {
        self.slot = slot
        self.pid = pid
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.onIdle = onIdle
    }

    /// Starts the process; `onExit` runs on the reader thread once it has exited and been reaped.
    static func spawn(
        slot: Int, command: WorkerCommand,
        onIdle: @escaping @Sendable (WorkerProcess) -> Void,
        onExit: @escaping @Sendable (WorkerProcess, String) -> Void
    ) throws -> WorkerProcess {
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw SpeechError.unavailable("pipe: \(errnoString())") }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw SpeechError.unavailable("pipe: \(errnoString())")
        }
        // Only the child's dup2'd copies (0 and 1) may survive exec, or a worker keeps another worker's pipe open.
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)

        let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, command.executable, &actions, nil, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard rc == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw SpeechError.unavailable("cannot start \(command.executable): \(String(cString: strerror(rc)))")
        }
        let worker = WorkerProcess(slot: slot, pid: pid, stdinFD: toChild[1], stdoutFD: fromChild[0], onIdle: onIdle)
        startThread { worker.readLoop(onExit: onExit) }
        return worker
    }

    /// Waits for the worker's ready frame; returns its sample rate.
    func waitUntilReady() async throws -> Int {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int, any Error>) in
            let early: Result<Int, SpeechError>? = state.withLock { s in
                if let r = s.startupResult { return r }
                s.ready = c
                return nil
            }
            if let early { c.resume(with: early) }
        }
    }

    /// Hands `job` to this worker; the request frame is written off the caller's thread.
    func begin(_ job: Job) {
        state.withLock { s in
            s.phase = .busy
            s.job = job
            s.endReason = nil
        }
        write(job.message)
        if let feed = job.feed, case .synthesize(let id, let voice, let options, _) = job.message {
            feed.attach(
                send: { [weak self] text, other in
                    self?.write(.synthesize(id: id, voice: other ?? voice, options: options, text: text))
                },
                complete: { [weak self] in self?.completeFedJob(id: id) })
        }
    }

    /// Writes a frame off the caller's thread; a failed write means the worker died, and its reader reports that.
    private func write(_ message: WorkerMessage) {
        let frame = message.encoded()
        let fd = stdinFD
        startThread { _ = writeAll(fd: fd, bytes: frame) }
    }

    /// Ends a chunked request whose feed is finished and whose chunks are all spoken.
    private func completeFedJob(id: UInt64) {
        let job: Job? = state.withLock { s in
            guard let job = s.job, job.id == id else { return nil }
            s.job = nil
            s.phase = .idle
            s.requestsServed += 1
            return job
        }
        guard let job else { return }
        job.continuation.finish()
        onIdle(self)
    }

    /// Ends the process now, failing its job with `reason`.
    func kill(reason: EndReason) {
        state.withLock { s in
            if s.endReason == nil { s.endReason = reason }
        }
        Glibc.kill(pid, SIGKILL)
    }

    /// Asks the worker to exit once its current request is done.
    func closeInput() {
        let first = state.withLock { s in
            defer { s.inputClosed = true }
            return !s.inputClosed
        }
        if first { close(stdinFD) }
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
                while let message = try decoder.next() {
                    if deliver(message) { onIdle(self) }
                }
            } catch {
                protocolProblem = "\(error)"
                Glibc.kill(pid, SIGKILL)
                break reading
            }
        }
        close(stdoutFD)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let how: String
        if let protocolProblem {
            how = "broke the protocol (\(protocolProblem))"
        } else if status & 0x7f == 0 {
            how = "exited with status \((status >> 8) & 0xff)"
        } else {
            how = "was killed by signal \(status & 0x7f)"
        }
        let (job, reason, startup) = state.withLock { s in
            s.phase = .exited
            let job = s.job
            s.job = nil
            let startup = s.ready
            s.ready = nil
            if s.startupResult == nil { s.startupResult = .failure(.unavailable("speech worker \(how)")) }
            return (job, s.endReason, startup)
        }
        startup?.resume(throwing: SpeechError.unavailable("speech worker \(how) before it was ready"))
        if let job {
            switch reason {
            case .timedOut(let limit):
                job.continuation.finish(throwing: SpeechError.timedOut(limit))
            case .cancelled:
                job.continuation.finish(throwing: CancellationError())
            case .shutdown:
                job.continuation.finish(throwing: SpeechError.shuttingDown)
            case nil:
                job.continuation.finish(throwing: SpeechError.workerCrashed("the speech worker \(how)"))
            }
        }
        closeInput()
        onExit(self, how)
    }

    /// Routes one frame; true when it ended the current job.
    private func deliver(_ message: WorkerMessage) -> Bool {
        if case .ready(let rate, _) = message {
            let c = state.withLock { s in
                s.phase = .idle
                s.wasReady = true
                s.startupResult = .success(rate)
                defer { s.ready = nil }
                return s.ready
            }
            c?.resume(returning: rate)
            return false
        }
        let job = state.withLock { $0.job }
        guard let job else { return false }
        switch message {
        case .audio(let id, let samples) where id == job.id:
            job.continuation.yield(.audio(samples))
        case .marks(let id, let marks) where id == job.id:
            job.continuation.yield(.marks(marks))
        // The job is finished before its last event is delivered: a consumer that stops reading after that event
        // must not see the job still running and cancel (kill) the worker.
        case .end(let id, let samples) where id == job.id && job.feed != nil:
            // One chunk of a chunked request: the feed sends the next, or completes the request.
            job.continuation.yield(.end(samples: samples))
            job.feed?.chunkEnded()
        case .end(let id, let samples) where id == job.id:
            finishJob()
            job.continuation.yield(.end(samples: samples))
            job.continuation.finish()
            return true
        case .diacritized(let id, let units) where id == job.id:
            finishJob()
            job.continuation.yield(.diacritized(units))
            job.continuation.finish()
            return true
        case .pageResult(let id, let body) where id == job.id:
            finishJob()
            job.continuation.yield(.page(body))
            job.continuation.finish()
            return true
        case .phonemesResult(let id, let text) where id == job.id:
            finishJob()
            job.continuation.yield(.phonemes(text))
            job.continuation.finish()
            return true
        case .failure(let id, let text) where id == job.id || id == 0:
            finishJob()
            job.continuation.finish(throwing: SpeechError.engine(text))
            return true
        default:
            break
        }
        return false
    }

    private func finishJob() {
        state.withLock { s in
            s.job = nil
            s.phase = .idle
            s.requestsServed += 1
        }
    }
}

func errnoString() -> String { String(cString: strerror(errno)) }

private final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` on a new detached thread (for blocking pipe I/O that must not hold a Swift concurrency thread).
func startThread(_ body: @escaping @Sendable () -> Void) {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, nil,
        { arg in
            Unmanaged<ThreadBody>.fromOpaque(arg!).takeRetainedValue().body()
            return nil
        }, context)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    pthread_detach(thread)
}
