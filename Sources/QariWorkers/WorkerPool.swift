import Glibc
import Logging
import ServiceLifecycle

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
    /// How much lower than the daemon's the workers' CPU priority is (a nice increment, 0 to 19).
    public var niceness: Int
    /// How many workers (the first slots) keep the daemon's priority when `niceness` is above 0, and take only
    /// work a listener waits for now: first, urgent and normal requests. At least one worker takes the rest.
    public var promptWorkers = 0

    public init(
        workers: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), queueLimit: Int = 64,
        requestTimeout: Duration = .seconds(60), command: WorkerCommand, niceness: Int = 0
    ) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        self.requestTimeout = requestTimeout
        self.command = command
        self.niceness = min(max(niceness, 0), 19)
    }
}

/// The state of a pool, for `/health`.
public struct WorkerPoolStatus: Sendable, Codable, Equatable {
    public struct Worker: Sendable, Codable, Equatable {
        public var pid: Int32
        public var state: String
        public var requests: Int
    }
    /// The pool's name: `speech`, `diacritizer`, `pages`.
    public var name: String
    /// "ok" when a worker can serve requests, else "down".
    public var status: String
    public var workers: [Worker]
    public var queued: Int
    public var queueLimit: Int
    public var restarts: Int
    public var crashes: Int
    public var timeouts: Int
    public var accepting: Bool

    /// Whether a worker is running (idle or busy).
    public var isUp: Bool { status == "ok" }

    /// A pool that is not there at all (e.g. no diacritizer installed).
    public static func absent(_ name: String) -> WorkerPoolStatus {
        WorkerPoolStatus(
            name: name, status: "down", workers: [], queued: 0, queueLimit: 0, restarts: 0, crashes: 0, timeouts: 0,
            accepting: false)
    }
}

/// Worker processes that serve requests one at a time each, with a bounded queue in front of them.
///
/// A worker that dies or overruns the per-request timeout is killed and replaced; only the request it held fails.
/// The pool routes frames by request id and knows nothing of what they mean: `answerEnds` names the kinds that
/// end an answer.
public actor WorkerPool: Service {
    /// What the pool is called in logs, errors and `/health`.
    public nonisolated let name: String
    public nonisolated let configuration: WorkerPoolConfiguration
    private nonisolated let answerEnds: Set<UInt8>
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
    /// The info word of the workers' ready frames (a speech worker's sample rate).
    public private(set) var readyInfo: UInt32 = 0

    public init(
        name: String, configuration: WorkerPoolConfiguration, answerEnds: Set<UInt8>,
        logger: Logger = Logger(label: "qari.workers")
    ) {
        self.name = name
        self.configuration = configuration
        self.answerEnds = answerEnds
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
            readyInfo = try await worker.waitUntilReady()
            if workers[worker.slot] === worker, worker.state.withLock({ $0.phase == .idle }),
                !idle.contains(where: { $0 === worker })
            {
                idle.append(worker)
            }
        }
        logger.info("\(name) workers ready", metadata: ["workers": "\(workers.count)"])
    }

    /// Runs as a service: workers live until graceful shutdown, then finish their requests and exit.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Streams the answer frames of one request (failures are thrown); refuses at once when the queue is full.
    public func request(kind: UInt8, body: [UInt8], priority: RequestPriority = .normal) throws(WorkerError)
        -> AsyncThrowingStream<Frame, any Error>
    {
        try submit(kind: kind, body: body, priority: priority)
    }

    /// The frame that ends the answer to one request.
    public func call(kind: UInt8, body: [UInt8], priority: RequestPriority = .normal) async throws -> Frame {
        var last: Frame?
        for try await frame in try request(kind: kind, body: body, priority: priority) { last = frame }
        guard let last else { throw WorkerError.failed(pool: name, message: "the \(name) worker answered nothing") }
        return last
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
        let up = accepting && list.contains { $0.state == "idle" || $0.state == "busy" }
        return WorkerPoolStatus(
            name: name, status: up ? "ok" : "down", workers: list, queued: queue.count,
            queueLimit: configuration.queueLimit, restarts: restarts, crashes: crashes, timeouts: timeouts,
            accepting: accepting)
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
        logger.info("\(name) workers stopped")
    }

    // MARK: - Internals

    private func submit(kind: UInt8, body: [UInt8], priority: RequestPriority) throws(WorkerError)
        -> AsyncThrowingStream<Frame, any Error>
    {
        guard accepting else { throw .shuttingDown(pool: name) }
        guard !workers.isEmpty else { throw .unavailable("no \(name) worker is running") }
        let refusable = priority == .normal || priority == .first
        // The limit bounds a listener's wait: what counts is what would go before this request. A speech's first
        // piece goes before every later piece of the speeches under way, so those never make it refused.
        let ahead = queue.count { $0.priority.rank >= max(priority.rank, 0) }
        guard !refusable || !idle.isEmpty || ahead < configuration.queueLimit else {
            throw .busy(pool: name, queueLimit: configuration.queueLimit)
        }
        let id = nextID
        nextID += 1
        let (stream, continuation) = AsyncThrowingStream<Frame, any Error>.makeStream()
        let job = Job(id: id, kind: kind, body: body, continuation: continuation, priority: priority)
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination, let self {
                Task { await self.cancel(jobID: id) }
            }
        }
        if priority.rank >= 0, let outranked = queue.firstIndex(where: { $0.priority.rank < priority.rank }) {
            queue.insert(job, at: outranked)
        } else {
            queue.append(job)
        }
        dispatch()
        // Background work waits as long as listeners keep the workers busy: its caller gives up when it wants to.
        if priority != .background, queue.contains(where: { $0.id == id }) {
            // Waiting counts too: a request whose workers keep dying (or never free up) fails after the same limit
            // instead of waiting for ever.
            let limit = configuration.requestTimeout
            Task { [weak self] in
                try? await Task.sleep(for: limit)
                await self?.expireQueued(jobID: id)
            }
        }
        return stream
    }

    private func expireQueued(jobID: UInt64) {
        guard let i = queue.firstIndex(where: { $0.id == jobID }) else { return }
        let job = queue.remove(at: i)
        timeouts += 1
        logger.warning("\(name) request waited past its time limit for a worker")
        job.continuation.finish(throwing: WorkerError.timedOut(pool: name, limit: configuration.requestTimeout))
    }

    /// Whether the worker in `slot` keeps the daemon's priority, for work a listener waits for now.
    private func isPrompt(slot: Int) -> Bool {
        configuration.niceness > 0 && slot < min(configuration.promptWorkers, configuration.workers - 1)
    }

    private func isPrompt(_ worker: WorkerProcess) -> Bool { isPrompt(slot: worker.slot) }

    /// Whether a listener waits for a request of `priority` now (not the later pieces of a speech, not a warm).
    private static func isWaitedFor(_ priority: RequestPriority) -> Bool {
        priority == .first || priority == .urgent || priority == .normal
    }

    private func dispatch() {
        // The first job in turn that an idle worker may take: a prompt worker takes only work waited for now.
        while let j = queue.firstIndex(where: { job in
            idle.contains { !isPrompt($0) || Self.isWaitedFor(job.priority) }
        }) {
            let job = queue[j]
            // Work waited for goes to a prompt worker when one is idle, the rest to the others.
            let prompt = Self.isWaitedFor(job.priority) ? idle.lastIndex(where: isPrompt) : nil
            guard let w = prompt ?? idle.lastIndex(where: { !isPrompt($0) }) else { break }
            let worker = idle.remove(at: w)
            queue.remove(at: j)
            guard worker.begin(job) else {
                // The worker died while idle and the pool has not heard yet: the job waits for the next one.
                queue.insert(job, at: j)
                continue
            }
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
        logger.warning("\(name) request timed out; restarting its worker", metadata: ["pid": "\(worker.pid)"])
        worker.kill(reason: .timedOut(configuration.requestTimeout))
    }

    private func cancel(jobID: UInt64) {
        if let i = queue.firstIndex(where: { $0.id == jobID }) {
            queue.remove(at: i)
            return
        }
        // A running request cannot be stopped inside the worker: end it, a fresh one takes its place.
        for worker in workers.values where worker.state.withLock({ $0.job?.id == jobID }) {
            worker.kill(reason: .cancelled)
        }
    }

    private func spawn(slot: Int) throws(WorkerError) -> WorkerProcess {
        let worker = try WorkerProcess.spawn(
            slot: slot, pool: name, command: configuration.command, answerEnds: answerEnds,
            onIdle: { [weak self] w in
                guard let self else { return }
                Task { await self.workerIdle(w) }
            },
            onExit: { [weak self] w, how in
                guard let self else { return }
                Task { await self.workerExited(w, how: how) }
            })
        workers[slot] = worker
        if configuration.niceness > 0, !isPrompt(slot: slot) {
            // Best effort: a worker left at the daemon's priority still works, only sooner than it should.
            let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            _ = setpriority(
                __priority_which_t(PRIO_PROCESS.rawValue), id_t(worker.pid),
                min(own + Int32(configuration.niceness), 19))
        }
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
            logger.error("\(name) worker died; restarting it", metadata: ["pid": "\(worker.pid)", "how": "\(how)"])
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
        logger.error("\(name) worker failed to start", metadata: ["error": "\(error)"])
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
