import Glibc
import Logging
import ServiceLifecycle

/// What a speech request can fail with, whatever the transport.
public enum SpeechError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every worker is busy and the queue is full.
    case busy(queueLimit: Int)
    /// The worker serving the request died.
    case workerCrashed(String)
    /// The request took longer than the per-request limit; its worker was restarted.
    case timedOut(Duration)
    /// eSpeak NG refused the request.
    case engine(String)
    /// The pool is shutting down and takes no new work.
    case shuttingDown
    /// Workers cannot be started.
    case unavailable(String)

    public var description: String {
        switch self {
        case .busy(let limit): "all speech workers are busy and \(limit) requests are already waiting"
        case .workerCrashed(let how): "\(how) while serving this request"
        case .timedOut(let limit): "synthesis took longer than the limit of \(limit.formattedSeconds)"
        case .engine(let message): message
        case .shuttingDown: "the speech service is shutting down"
        case .unavailable(let why): "speech workers are unavailable: \(why)"
        }
    }
}

/// What a worker streams back for one request.
public enum WorkerEvent: Sendable, Equatable {
    case audio([Int16])
    case marks([EngineMark])
    case end(samples: Int)
    case phonemes(String)
    case diacritized([String])
    case page([UInt8])
}

/// Settings of a `WorkerPool`.
public struct WorkerPoolConfiguration: Sendable {
    /// How many worker processes run (default: one per core).
    public var workers: Int
    /// How many requests may wait for a worker before new ones are refused as busy.
    public var queueLimit: Int
    /// The longest one request may hold a worker.
    public var requestTimeout: Duration
    /// How a worker is started.
    public var command: WorkerCommand

    public init(
        workers: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), queueLimit: Int = 64,
        requestTimeout: Duration = .seconds(60), command: WorkerCommand = .currentExecutable()
    ) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        self.requestTimeout = requestTimeout
        self.command = command
    }
}

/// The state of the pool, for `/health`.
public struct WorkerPoolStatus: Sendable, Codable, Equatable {
    public struct Worker: Sendable, Codable, Equatable {
        public var pid: Int32
        public var state: String
        public var requests: Int
    }
    public var workers: [Worker]
    public var queued: Int
    public var queueLimit: Int
    public var restarts: Int
    public var crashes: Int
    public var timeouts: Int
    public var sampleRate: Int
    public var accepting: Bool
}

/// eSpeak NG worker processes that serve speech requests, one at a time each.
///
/// A worker that dies or overruns the per-request timeout is killed and replaced; only the request it held fails.
public actor WorkerPool: Service {
    public nonisolated let configuration: WorkerPoolConfiguration
    private let logger: Logger
    private var workers: [Int: WorkerProcess] = [:]
    private var idle: [WorkerProcess] = []
    private var queue: [Job] = []
    private var nextID: UInt64 = 1
    private var accepting = true
    private var started = false
    private var restarts = 0
    private var crashes = 0
    private var timeouts = 0
    private var consecutiveStartFailures = 0
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    /// Samples per second of every worker's PCM.
    public private(set) var sampleRate = 22050

    public init(configuration: WorkerPoolConfiguration = .init(), logger: Logger = Logger(label: "qari.workers")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts the workers and waits until each is ready.
    public func start() async throws {
        guard !started else { return }
        started = true
        signal(SIGPIPE, SIG_IGN)
        var spawned: [WorkerProcess] = []
        for slot in 0..<configuration.workers {
            spawned.append(try spawn(slot: slot))
        }
        for worker in spawned {
            sampleRate = try await worker.waitUntilReady()
            if workers[worker.slot] === worker, worker.state.withLock({ $0.phase == .idle }),
                !idle.contains(where: { $0 === worker })
            {
                idle.append(worker)
            }
        }
        logger.info("speech workers ready", metadata: ["workers": "\(workers.count)", "sampleRate": "\(sampleRate)"])
    }

    /// Runs as a service: workers live until graceful shutdown, then finish their requests and exit.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Streams the audio and marks of `text`; throws `SpeechError.busy` at once when the queue is full.
    public func synthesize(text: String, voice: String, options: SynthesisOptions) throws -> AsyncThrowingStream<
        WorkerEvent, any Error
    > {
        try submit { id in .synthesize(id: id, voice: voice, options: options, text: text) }
    }

    /// The phonemes eSpeak would speak for `text`.
    public func phonemes(text: String, voice: String, ipa: Bool) async throws -> String {
        let stream = try submit { id in .phonemes(id: id, voice: voice, ipa: ipa, text: text) }
        var result: String?
        for try await event in stream {
            if case .phonemes(let text) = event { result = text }
        }
        guard let result else { throw SpeechError.engine("the worker returned no phonemes") }
        return result
    }

    /// Streams the audio and marks of `first` and of the texts pushed to the returned feed, on one worker; each
    /// text's events end with its own `end`. Call `finish()` on the feed after the last text.
    public func synthesizeChunks(first: String, voice: String, options: SynthesisOptions) throws -> (
        AsyncThrowingStream<WorkerEvent, any Error>, ChunkFeed
    ) {
        let feed = ChunkFeed()
        let stream = try submit(feed: feed) { id in .synthesize(id: id, voice: voice, options: options, text: first) }
        return (stream, feed)
    }

    /// `text` with its Arabic vowels restored, one string per code point (a pool of diacritizer workers).
    public func diacritize(text: String) async throws -> [String] {
        let stream = try submit { id in .diacritize(id: id, text: text) }
        var result: [String]?
        for try await event in stream {
            if case .diacritized(let units) = event { result = units }
        }
        guard let result else { throw SpeechError.engine("the diacritizer returned nothing") }
        return result
    }

    /// The answer of a page worker (`qari page-worker`) to `request` about a page's bytes.
    public func page(request: String, body: [UInt8]) async throws -> [UInt8] {
        let stream = try submit { id in .page(id: id, request: request, body: body) }
        var result: [UInt8]?
        for try await event in stream {
            if case .page(let bytes) = event { result = bytes }
        }
        guard let result else { throw SpeechError.engine("the page worker returned nothing") }
        return result
    }

    /// Pool state for health checks.
    public func status() -> WorkerPoolStatus {
        let list = workers.values.sorted { $0.slot < $1.slot }.map { w in
            w.state.withLock { s in
                let state =
                    switch s.phase {
                    case .starting: "starting"
                    case .idle: "idle"
                    case .busy: "busy"
                    case .exited: "restarting"
                    }
                return WorkerPoolStatus.Worker(pid: w.pid, state: state, requests: s.requestsServed)
            }
        }
        return WorkerPoolStatus(
            workers: list, queued: queue.count, queueLimit: configuration.queueLimit, restarts: restarts,
            crashes: crashes, timeouts: timeouts, sampleRate: sampleRate, accepting: accepting)
    }

    /// Stops taking work, lets queued and running requests finish, then ends the workers.
    public func shutdown() async {
        accepting = false
        while !queue.isEmpty || workers.values.contains(where: { $0.state.withLock { $0.job != nil } }) {
            await withCheckedContinuation { drainWaiters.append($0) }
        }
        for worker in workers.values { worker.closeInput() }
        let deadline = ContinuousClock.now + .seconds(2)
        while !workers.isEmpty && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for worker in workers.values { worker.kill(reason: .shutdown) }
        logger.info("speech workers stopped")
    }

    // MARK: - Internals

    private func submit(feed: ChunkFeed? = nil, _ makeMessage: (UInt64) -> WorkerMessage) throws
        -> AsyncThrowingStream<WorkerEvent, any Error>
    {
        guard accepting else { throw SpeechError.shuttingDown }
        guard !workers.isEmpty else { throw SpeechError.unavailable("no worker is running") }
        guard !idle.isEmpty || queue.count < configuration.queueLimit else {
            throw SpeechError.busy(queueLimit: configuration.queueLimit)
        }
        let id = nextID
        nextID += 1
        let (stream, continuation) = AsyncThrowingStream<WorkerEvent, any Error>.makeStream()
        let job = Job(id: id, message: makeMessage(id), continuation: continuation, feed: feed)
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination, let self {
                Task { await self.cancel(jobID: id) }
            }
        }
        queue.append(job)
        dispatch()
        return stream
    }

    private func dispatch() {
        while !queue.isEmpty, let worker = idle.popLast() {
            let job = queue.removeFirst()
            worker.begin(job)
            let limit = configuration.requestTimeout
            Task { [weak self] in
                try? await Task.sleep(for: limit)
                await self?.checkTimeout(worker: worker, jobID: job.id)
            }
        }
        if queue.isEmpty && !drainWaiters.isEmpty
            && !workers.values.contains(where: { $0.state.withLock { $0.job != nil } })
        {
            drainWaiters.forEach { $0.resume() }
            drainWaiters.removeAll()
        }
    }

    private func checkTimeout(worker: WorkerProcess, jobID: UInt64) {
        guard worker.state.withLock({ $0.job?.id == jobID }) else { return }
        timeouts += 1
        logger.warning("speech request timed out; restarting its worker", metadata: ["pid": "\(worker.pid)"])
        worker.kill(reason: .timedOut(configuration.requestTimeout))
    }

    private func cancel(jobID: UInt64) {
        if let i = queue.firstIndex(where: { $0.id == jobID }) {
            queue.remove(at: i)
            return
        }
        // A running request cannot be stopped inside eSpeak: end its worker, a fresh one takes its place.
        for worker in workers.values where worker.state.withLock({ $0.job?.id == jobID }) {
            worker.kill(reason: .cancelled)
        }
    }

    private func spawn(slot: Int) throws -> WorkerProcess {
        let worker = try WorkerProcess.spawn(
            slot: slot, command: configuration.command,
            onIdle: { [weak self] w in
                guard let self else { return }
                Task { await self.workerIdle(w) }
            },
            onExit: { [weak self] w, how in
                guard let self else { return }
                Task { await self.workerExited(w, how: how) }
            })
        workers[slot] = worker
        return worker
    }

    private func workerIdle(_ worker: WorkerProcess) {
        guard workers[worker.slot] === worker, worker.state.withLock({ $0.phase == .idle }) else { return }
        if !idle.contains(where: { $0 === worker }) { idle.append(worker) }
        dispatch()
    }

    private func workerExited(_ worker: WorkerProcess, how: String) {
        idle.removeAll { $0 === worker }
        guard workers[worker.slot] === worker else { return }
        workers[worker.slot] = nil
        let (reason, wasReady) = worker.state.withLock { ($0.endReason, $0.wasReady) }
        // A worker that never became ready is retried, with back-off, by whoever waits for it to start.
        guard wasReady, accepting || !queue.isEmpty else {
            dispatch()
            return
        }
        if reason == nil {
            crashes += 1
            logger.error("speech worker died; restarting it", metadata: ["pid": "\(worker.pid)", "how": "\(how)"])
        }
        restarts += 1
        respawn(slot: worker.slot)
        dispatch()
    }

    private func respawn(slot: Int) {
        do {
            let worker = try spawn(slot: slot)
            Task { [weak self] in
                do {
                    _ = try await worker.waitUntilReady()
                    await self?.startSucceeded(worker)
                } catch {
                    await self?.startFailed(slot: slot, error: error)
                }
            }
        } catch {
            startFailed(slot: slot, error: error)
        }
    }

    private func startSucceeded(_ worker: WorkerProcess) {
        consecutiveStartFailures = 0
        workerIdle(worker)
    }

    private func startFailed(slot: Int, error: any Error) {
        consecutiveStartFailures += 1
        logger.error("speech worker failed to start", metadata: ["error": "\(error)"])
        // Back off so that a broken installation does not spin; queued requests wait or time out meanwhile.
        let delay = Duration.milliseconds(min(5000, 50 << min(consecutiveStartFailures, 7)))
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.retrySpawn(slot: slot)
        }
    }

    private func retrySpawn(slot: Int) {
        guard accepting, workers[slot] == nil || workers[slot]!.state.withLock({ $0.phase == .exited }) else { return }
        respawn(slot: slot)
    }
}

extension Duration {
    var formattedSeconds: String {
        let s = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
