import Foundation
import Logging
import QariPage
import QariSpeech

/// Readings: made once, then served from memory while they are made and from the store once finished.
public actor Readings {
    /// Where a reading's audio is.
    public enum Audio: Sendable {
        /// A finished reading's file: `name` within the store's `directory`.
        case file(directory: String, name: String)
        /// A finished reading's bytes (no store).
        case bytes([UInt8])
        /// Being made: what exists, then the rest as it comes.
        case live(AsyncThrowingStream<[UInt8], any Error>)
    }

    /// Where a reading's marks are.
    public enum Marks: Sendable {
        case complete(ReadingMarks)
        case live(AsyncThrowingStream<PageMark, any Error>)
    }

    public nonisolated let speaker: Speaker
    /// Reads pages into their passages (page workers in the daemon).
    public nonisolated let pages: PageService
    public nonisolated let store: ReadingStore?
    /// Passages kept in the store, reused by every reading that says them (nil without a store).
    public nonisolated let passages: PassageStore?
    /// The daemon's own warming, as it goes.
    public nonisolated let warming = WarmingStatus()
    /// Listeners' reports of mispronounced words (nil: taken, not kept).
    public nonisolated let reports: ReportStore?
    /// The phonemes of words reported lately (a word reported again costs no worker).
    nonisolated let reportPhonemes = ReportPhonemes()
    public nonisolated let versions: ReadingVersions
    private let logger: Logger
    /// Readings asked for recently, by id (bounded: the oldest is forgotten first).
    private var recent: [String: Reading] = [:]
    private var order: [String] = []
    private let recentLimit: Int
    /// How long an unfinished reading nobody listens to is kept being made (a reconnecting player comes back
    /// within it); then its synthesis stops and what was made is dropped.
    let abandonAfter: Duration
    /// Jobs being made, and finished ones not in the store (none, or not yet saved), by `key(id, format)`.
    var jobs: [String: ReadingJob] = [:]
    private var finished: [String] = []
    /// Fields' finished jobs kept in memory (their reading not stored yet, or no store), oldest first.
    var finishedFields: [String] = []
    /// The plans of public pages read lately, by their bytes (a page sent again is not read again).
    var planMemo = PlanMemo()
    /// Citizens' own pages: in memory only, under random ids, dropped after a while or under the memory bound.
    var privates: PrivateReadings
    /// Drops expired private readings while any are held.
    private var sweeper: Task<Void, Never>?
    /// Pages read into passages, and pages answered from `planMemo` instead, for `/metrics`.
    public internal(set) var plansRead = 0
    public internal(set) var plansRemembered = 0
    /// Syntheses started, for `/metrics` and the benchmarks.
    public internal(set) var syntheses = 0
    /// Readings being made now.
    public internal(set) var making = 0
    /// Syntheses stopped because every listener had gone.
    public internal(set) var abandoned = 0

    public init(
        speaker: Speaker, pages: PageService = PageService(options: PageOptions()), store: ReadingStore?,
        reports: ReportStore? = nil, versions: ReadingVersions, recentLimit: Int = 1024,
        abandonAfter: Duration = .seconds(5), privateLimits: PrivateLimits = PrivateLimits(),
        logger: Logger = Logger(label: "qari.readings")
    ) {
        privates = PrivateReadings(limits: privateLimits)
        self.speaker = speaker
        self.pages = pages
        self.store = store
        passages = store.map { PassageStore(store: $0, versions: versions) }
        self.reports = reports
        self.versions = versions
        self.recentLimit = recentLimit
        self.abandonAfter = abandonAfter
        self.logger = logger
    }

    /// The reading of `plan`, remembered by its id; `cached` when its audio is already made. A private reading
    /// (`isPrivate`, or the page asked for it) gets a new random id and is never stored, shared or cached.
    public func create(
        _ plan: PagePlan, options: SynthesisOptions = .init(), isPrivate: Bool = false
    ) async -> (Reading, cached: Bool) {
        if isPrivate || plan.content.isPrivate {
            var options = options
            options.isPrivate = true
            let reading = Reading(
                id: PrivateReadings.newID(instance: privates.limits.instance), plan: plan, options: options,
                isPrivate: true)
            privates.add(reading)
            sweepPrivate(keeping: reading.id)
            startSweeper()
            return (reading, false)
        }
        let reading = Reading(
            plan: plan, options: options, versions: versions, lexicons: speaker.lexicons.current.fingerprint)
        if recent[reading.id] == nil, let store, let data = try? JSONEncoder().encode(StoredPlan(reading)) {
            await store.savePlan(reading.id, Array(data))
        }
        remember(reading)
        return (reading, await isMade(reading))
    }

    /// Whether the reading's audio is made already (a second citizen's reading costs no synthesis).
    public func isMade(_ reading: Reading) async -> Bool {
        if let job = jobs[Self.key(reading.id, .ogg)], job.completeMarks() != nil { return true }
        guard !reading.isPrivate else { return false }
        return await store?.contains(reading.id) ?? false
    }

    /// The reading with this id, if it was made or asked for.
    public func reading(_ id: String) async -> Reading? {
        if PrivateReadings.isID(id) {
            sweepPrivate()
            return privates.use(id)
        }
        if let r = recent[id] { return r }
        guard let data = await store?.plan(id),
            let stored = try? JSONDecoder().decode(StoredPlan.self, from: data),
            let plan = try? PagePlan(
                content: stored.content, voiceIDs: stored.voices, fieldVoiceIDs: stored.fieldVoices)
        else { return nil }
        let reading = Reading(
            id: id, plan: plan, options: SynthesisOptions(rate: stored.rate, pitch: stored.pitch, volume: stored.volume)
        )
        remember(reading)
        return reading
    }

    /// The reading's audio in `format`; starts making it if nobody has (an MP3 only now that it is asked for).
    /// `background`: asked for by nobody waiting (a warm), made only with workers listeners leave idle; a
    /// listener's request for the same reading makes the rest of it at once.
    public func audio(_ reading: Reading, _ format: ReadingFormat, background: Bool = false) async -> Audio {
        let key = Self.key(reading.id, format)
        if let job = jobs[key], let bytes = job.completeAudio(format) { return .bytes(bytes) }
        if jobs[key] == nil, !reading.isPrivate, let store, await store.file(reading.id, format.fileName) != nil {
            return .file(directory: store.directory, name: ReadingStore.relative(reading.id, format.fileName))
        }
        return .live(job(for: reading, format, background: background).audio(format))
    }

    /// The reading's marks; starts making the reading if nobody has.
    public func marks(_ reading: Reading) async -> Marks {
        let key = Self.key(reading.id, .ogg)
        if let job = jobs[key], let marks = job.completeMarks() { return .complete(marks) }
        if jobs[key] == nil, !reading.isPrivate, let data = await store?.read(reading.id, "marks.json"),
            let marks = try? JSONDecoder().decode(ReadingMarks.self, from: data)
        {
            return .complete(marks)
        }
        return .live(job(for: reading, .ogg).marks())
    }

    static func key(_ id: String, _ format: ReadingFormat) -> String {
        format == .ogg ? id : id + "." + format.rawValue
    }

    private func remember(_ reading: Reading) {
        if recent.updateValue(reading, forKey: reading.id) == nil {
            order.append(reading.id)
            if order.count > recentLimit {
                let old = order.removeFirst()
                if !ReadingFormat.allCases.contains(where: { jobs[Self.key(old, $0)] != nil }) { recent[old] = nil }
            }
        }
    }

    private func job(for reading: Reading, _ format: ReadingFormat, background: Bool = false) -> ReadingJob {
        let key = Self.key(reading.id, format)
        if let job = jobs[key], !job.failed {
            if !background { job.background.store(false, ordering: .relaxed) }
            return job
        }
        let job = ReadingJob(
            reading: reading, format: format, abandonAfter: abandonAfter, passages: passages, background: background
        ) { [weak self] job in
            Task { await self?.listenersLeft(job) }
        }
        start(job, key: key)
        return job
    }

    /// Starts making `job`, known under `key` while it is made.
    func start(_ job: ReadingJob, key: String) {
        jobs[key] = job
        syntheses += 1
        making += 1
        let speaker = self.speaker
        let task = Task {
            await job.run(speaker: speaker)
            await self.jobEnded(job)
        }
        job.state.withLock { $0.task = task }
    }

    /// The last listener of an unfinished job has gone: unless one comes back in `abandonAfter`, the synthesis
    /// stops (a page nobody hears no longer keeps the workers busy).
    func listenersLeft(_ job: ReadingJob) async {
        try? await Task.sleep(for: abandonAfter)
        job.abandonIfUnheard()
    }

    /// A finished job goes to the store; without one, the last few stay in memory.
    private func jobEnded(_ job: ReadingJob) async {
        making -= 1
        if job.wasAbandoned {
            abandoned += 1
            // A private reading's id is random, but it is still a citizen's: not in the log.
            logger.info(
                "reading abandoned",
                metadata: [
                    "id": "\(job.reading.isPrivate ? "private" : job.reading.id)", "format": "\(job.format.rawValue)",
                ])
        }
        if let field = job.field {
            await keepField(job, field)
            return
        }
        let id = job.reading.id
        let key = Self.key(id, job.format)
        guard let audio = job.completeAudio(job.format) else {
            if jobs[key] === job { jobs[key] = nil }
            return
        }
        if job.reading.isPrivate {
            // Kept with its private reading, in memory only, until that is dropped; its time to live starts now.
            _ = privates.use(id)
            if privates.entries[id] == nil { jobs[key] = nil }
            sweepPrivate(keeping: id)
            if job.format == .ogg { premakeFields(job.reading) }
            return
        }
        if let store {
            do {
                if job.format == .ogg, let marks = job.completeMarks() {
                    var files: [String: [UInt8]] = [job.format.fileName: audio]
                    files["marks.json"] = Array(try JSONEncoder().encode(marks))
                    files["plan.json"] = Array(try JSONEncoder().encode(StoredPlan(job.reading)))
                    try await store.save(id, files: files)
                } else {
                    try await store.add(id, job.format.fileName, audio)
                }
                if await store.file(id, job.format.fileName) != nil {
                    jobs[key] = nil
                    if job.format == .ogg { premakeFields(job.reading) }
                    // An MP3 finished before its reading was stored goes in with it now.
                    for other in ReadingFormat.allCases where other != job.format {
                        if let done = jobs[Self.key(id, other)], let bytes = done.completeAudio(other),
                            other != .ogg
                        {
                            try await store.add(id, other.fileName, bytes)
                            jobs[Self.key(id, other)] = nil
                        }
                    }
                    return
                }
            } catch {
                // Storage faults: the store logs a failing disk itself, at most once a minute.
                if !(error is StoreWriteFailed) {
                    logger.error("a reading could not be stored", metadata: ["id": "\(id)", "error": "\(error)"])
                }
            }
        }
        finished.append(key)
        if finished.count > 16 {
            let old = finished.removeFirst()
            if let done = jobs[old], done.completeAudio(done.format) != nil { jobs[old] = nil }
        }
    }

    /// Private readings now: counts and bytes, never ids or words.
    public func privateStatistics() -> PrivateStatistics {
        privates.statistics(bytes: privates.entries.keys.reduce(0) { $0 + privateBytes($1) })
    }

    /// What one private reading holds in memory: its jobs' audio and marks, and its text.
    private func privateBytes(_ id: String) -> Int {
        let jobs = ReadingFormat.allCases.compactMap { self.jobs[Self.key(id, $0)] } + fieldJobs(id).map(\.1)
        let text = privates.entries[id]?.reading.plan.content.passages.reduce(0) { $0 + $1.text.utf8.count } ?? 0
        return jobs.reduce(text) { $0 + $1.bytes }
    }

    /// Drops the private readings that expired or do not fit, with everything made of them.
    func sweepPrivate(keeping: String? = nil) {
        let sizes = Dictionary(uniqueKeysWithValues: privates.entries.keys.map { ($0, privateBytes($0)) })
        let inUse = Set(
            privates.entries.keys.filter { id in
                (ReadingFormat.allCases.map { Self.key(id, $0) } + fieldJobs(id).map(\.0)).contains {
                    jobs[$0]?.isInUse == true
                }
            })
        for id in privates.sweep(keeping: keeping, inUse: inUse, sizes: sizes) {
            for key in ReadingFormat.allCases.map({ Self.key(id, $0) }) + fieldJobs(id).map(\.0) {
                let job = jobs.removeValue(forKey: key)
                job?.state.withLock { $0.task }?.cancel()
            }
        }
    }

    /// While private readings are held, looks for expired ones a few times per time to live.
    private func startSweeper() {
        guard sweeper == nil else { return }
        let every = max(.milliseconds(250), min(privates.limits.ttl / 4, .seconds(15)))
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                guard let self, await self.sweepPrivateTick() else { return }
            }
        }
    }

    /// One sweep; false (and the sweeper ends) once no private reading is held.
    private func sweepPrivateTick() -> Bool {
        sweepPrivate()
        if privates.entries.isEmpty { sweeper = nil }
        return !privates.entries.isEmpty
    }

}
