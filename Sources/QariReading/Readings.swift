import Foundation
import Logging
import QariAudio
import QariPage
import QariSpeech
import QariText
import QariWorkers
import Synchronization

/// The versions of everything that turns a reading's text into sound: part of every reading's address, so a new
/// engine, voice or vowel model never serves stale audio.
public struct ReadingVersions: Sendable, Equatable {
    public var engine: String
    public var voices: String
    public var diacritizer: String
    /// Qari's own text preparation (normaliser, front ends): bumped when it changes what is spoken.
    public var qari = "qari-reading-1"

    public init(engine: String, voices: String, diacritizer: String) {
        self.engine = engine
        self.voices = voices
        self.diacritizer = diacritizer
    }

    /// The versions of this installation: libespeak-ng's, a hash of `voices/`, and of the diacritizer worker.
    public static func current(diacritizer: DiacritizerLocation?) -> ReadingVersions {
        let voices = EspeakData.voicesDirectory().flatMap { try? EspeakData.version(voices: $0) }
        let vowels = diacritizer.map { location -> String in
            let folder = URL(fileURLWithPath: location.script).deletingLastPathComponent()
            var bytes: [UInt8] = []
            for file in [location.script, folder.appendingPathComponent("requirements.txt").path] {
                bytes += Array(FileManager.default.contents(atPath: file) ?? Data())
            }
            return ContentHash.sha256(bytes)
        }
        return ReadingVersions(
            engine: SpeechEngine.libraryVersion, voices: voices.map { String($0, radix: 16) } ?? "system",
            diacritizer: vowels ?? "none")
    }
}

/// A page to be read aloud, by its content address.
public struct Reading: Sendable {
    /// SHA-256 of what is spoken (passages, voices, options) and of the versions that speak it.
    public let id: String
    public let plan: PagePlan
    public let options: SynthesisOptions

    public init(
        plan: PagePlan, options: SynthesisOptions = .init(), versions: ReadingVersions, lexicons: String = "none"
    ) {
        self.plan = plan
        self.options = options
        var key = "qari reading\n\(versions.qari)\n\(versions.engine)\n\(versions.voices)\n\(versions.diacritizer)\n"
        // The lexicons in use: a linguist's change makes new readings, never stale audio.
        if lexicons != "none" { key += "lexicons \(lexicons)\n" }
        key += "rate \(options.rate) pitch \(options.pitch) volume \(options.volume)\n"
        for passage in plan.passages {
            key += "\(passage.voice.id)\t\(passage.text.unicodeScalars.count)\t\(passage.text)\n"
        }
        id = ContentHash.sha256(Array(key.utf8))
    }

    init(id: String, plan: PagePlan, options: SynthesisOptions) {
        self.id = id
        self.plan = plan
        self.options = options
    }
}

/// A reading's marks and the length of its audio.
public struct ReadingMarks: Sendable, Codable, Equatable {
    public var durationMs: Int
    public var marks: [PageMark]

    enum CodingKeys: String, CodingKey {
        case durationMs = "duration_ms"
        case marks
    }
}

/// The audio formats a reading is made in: Ogg Opus with the reading (what the reader button plays), MP3 only
/// when someone asks for it (the download), from a synthesis of its own, then kept like the Ogg.
public enum ReadingFormat: String, Sendable, CaseIterable {
    case ogg, mp3

    public var audioFormat: AudioFormat { self == .ogg ? .ogg : .mp3 }
    public var fileName: String { "audio.\(rawValue)" }
}

/// The making of one reading: started by the first request for its audio or marks, shared by every request that
/// arrives meanwhile (each gets what was made so far, then the rest as it comes).
final class ReadingJob: Sendable {
    enum Outcome: Sendable {
        case done(durationMs: Int)
        case failed(any Error)
    }

    struct State: Sendable {
        var audio: [ReadingFormat: [[UInt8]]] = [:]
        var marks: [PageMark] = []
        var outcome: Outcome?
        var audioSubscribers: [Int: (ReadingFormat, AsyncThrowingStream<[UInt8], any Error>.Continuation)] = [:]
        var markSubscribers: [Int: AsyncThrowingStream<PageMark, any Error>.Continuation] = [:]
        var nextSubscriber = 0
        /// The synthesis, cancelled when nobody listens any more.
        var task: Task<Void, Never>?
        /// When the last listener left (nil while someone listens), and whether the job was given up for it.
        var leftAt: ContinuousClock.Instant?
        var abandoned = false
    }

    let reading: Reading
    /// The one format this job encodes: the Ogg with the marks, or an MP3 asked for later.
    let format: ReadingFormat
    let state = Mutex(State())
    /// Called (outside the lock) when the last listener of an unfinished job has gone.
    let onIdle: @Sendable (ReadingJob) -> Void
    /// How long it is made with nobody listening before it is given up.
    let abandonAfter: Duration

    init(
        reading: Reading, format: ReadingFormat = .ogg, abandonAfter: Duration = .seconds(5),
        onIdle: @escaping @Sendable (ReadingJob) -> Void = { _ in }
    ) {
        self.reading = reading
        self.format = format
        self.abandonAfter = abandonAfter
        self.onIdle = onIdle
    }

    /// Gives the job up when nobody has listened for `abandonAfter`; true when it is (or already was) given up.
    /// Asked by the timer the last listener's leaving starts, and by the synthesis at each piece of audio: the
    /// time a listener left is taken when it leaves, so the answer does not depend on which of them runs first.
    @discardableResult
    func abandonIfUnheard() -> Bool {
        let task: Task<Void, Never>? = state.withLock { s in
            guard !s.abandoned else { return nil }
            guard s.outcome == nil, s.audioSubscribers.isEmpty, s.markSubscribers.isEmpty, let left = s.leftAt,
                ContinuousClock.now - left >= abandonAfter
            else { return nil }
            s.abandoned = true
            return s.task
        }
        task?.cancel()
        return state.withLock { $0.abandoned }
    }

    var wasAbandoned: Bool { state.withLock { $0.abandoned } }

    /// The audio in `format` made so far and then as it comes; ends when the reading is complete.
    func audio(_ format: ReadingFormat) -> AsyncThrowingStream<[UInt8], any Error> {
        subscribe(
            { $0.audio[format] ?? [] }, add: { $0.audioSubscribers[$1] = (format, $2) },
            remove: { $0.audioSubscribers[$1] = nil })
    }

    /// The marks made so far and then as they come.
    func marks() -> AsyncThrowingStream<PageMark, any Error> {
        subscribe({ $0.marks }, add: { $0.markSubscribers[$1] = $2 }, remove: { $0.markSubscribers[$1] = nil })
    }

    /// What was made so far, then (while the reading is being made) the rest as `add`'s subscriber receives it.
    private func subscribe<Element: Sendable>(
        _ existing: (State) -> [Element],
        add: (inout State, Int, AsyncThrowingStream<Element, any Error>.Continuation) -> Void,
        remove: @escaping @Sendable (inout State, Int) -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        state.withLock { s in
            // Under the lock, so nothing made meanwhile comes before what exists.
            for element in existing(s) { continuation.yield(element) }
            switch s.outcome {
            case .done: continuation.finish()
            case .failed(let error): continuation.finish(throwing: error)
            case nil:
                let key = s.nextSubscriber
                s.nextSubscriber += 1
                add(&s, key, continuation)
                s.leftAt = nil
                continuation.onTermination = { [weak self] _ in
                    guard let self else { return }
                    let idle = self.state.withLock { s -> Bool in
                        remove(&s, key)
                        let idle = s.outcome == nil && s.audioSubscribers.isEmpty && s.markSubscribers.isEmpty
                        if idle { s.leftAt = .now }
                        return idle
                    }
                    if idle { self.onIdle(self) }
                }
            }
        }
        return stream
    }

    /// The whole audio, once complete.
    func completeAudio(_ format: ReadingFormat) -> [UInt8]? {
        guard format == self.format else { return nil }
        return state.withLock { s in
            guard case .done = s.outcome else { return nil }
            return Array((s.audio[format] ?? []).joined())
        }
    }

    /// The marks and duration, once complete.
    func completeMarks() -> ReadingMarks? {
        state.withLock { s in
            guard case .done(let duration) = s.outcome else { return nil }
            return ReadingMarks(durationMs: duration, marks: s.marks)
        }
    }

    var failed: Bool {
        state.withLock { s in
            if case .failed = s.outcome { return true }
            return false
        }
    }

    func append(_ format: ReadingFormat, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        state.withLock { s in
            s.audio[format, default: []].append(bytes)
            for (f, c) in s.audioSubscribers.values where f == format { c.yield(bytes) }
        }
    }

    func append(_ marks: [PageMark]) {
        state.withLock { s in
            s.marks += marks
            for c in s.markSubscribers.values { for m in marks { c.yield(m) } }
        }
    }

    func finish(_ outcome: Outcome) {
        // Finished outside the lock: a stream's termination handler takes the lock itself.
        let (audio, marks) = state.withLock { s in
            s.outcome = outcome
            defer {
                s.audioSubscribers = [:]
                s.markSubscribers = [:]
            }
            return (s.audioSubscribers.values.map(\.1), Array(s.markSubscribers.values))
        }
        for c in audio {
            if case .failed(let error) = outcome { c.finish(throwing: error) } else { c.finish() }
        }
        for c in marks {
            if case .failed(let error) = outcome { c.finish(throwing: error) } else { c.finish() }
        }
    }

    /// Speaks the reading once, encoding its format and (for the Ogg) mapping the marks onto the page as they come.
    func run(speaker: Speaker) async {
        do {
            let stream = try await speaker.speak(passages: reading.plan.passages, options: reading.options)
            let rate = await speaker.sampleRate
            var encoder: any AudioEncoder =
                format == .ogg
                // The opening at a higher bitrate fills a browser's first read of the stream within a second or
                // two of speech.
                ? try OpusEncoder(sampleRate: rate, opening: (seconds: 2, bitrate: 256_000))
                : try AudioFormat.mp3.makeEncoder(sampleRate: rate)
            var samples = 0
            for try await event in stream {
                switch event {
                case .audio(let pcm):
                    if abandonIfUnheard() { throw CancellationError() }
                    append(format, try encoder.encode(pcm))
                case .marks(let marks):
                    if format == .ogg { append(marks.map(reading.plan.pageMark)) }
                case .end(let n):
                    samples = n
                }
            }
            // Cancelled (nobody listens): the stream just ends; what was made is not a whole reading.
            try Task.checkCancellation()
            append(format, try encoder.finish())
            finish(.done(durationMs: samples * 1000 / max(rate, 1)))
        } catch {
            finish(.failed(error))
        }
    }
}

/// What is stored of a reading's plan, to serve it after a restart.
struct StoredPlan: Codable {
    var content: PageContent
    var voices: [String]
    var rate: Int
    var pitch: Int
    var volume: Int
}

extension StoredPlan {
    init(_ reading: Reading) {
        self.init(
            content: reading.plan.content, voices: reading.plan.voices.map(\.id), rate: reading.options.rate,
            pitch: reading.options.pitch, volume: reading.options.volume)
    }
}

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
    private let abandonAfter: Duration
    /// Jobs being made, and finished ones not in the store (none, or not yet saved), by `key(id, format)`.
    private var jobs: [String: ReadingJob] = [:]
    private var finished: [String] = []
    /// Syntheses started, for `/metrics` and the benchmarks.
    public private(set) var syntheses = 0
    /// Readings being made now.
    public private(set) var making = 0
    /// Syntheses stopped because every listener had gone.
    public private(set) var abandoned = 0

    public init(
        speaker: Speaker, pages: PageService = PageService(options: PageOptions()), store: ReadingStore?,
        reports: ReportStore? = nil, versions: ReadingVersions, recentLimit: Int = 1024,
        abandonAfter: Duration = .seconds(5), logger: Logger = Logger(label: "qari.readings")
    ) {
        self.speaker = speaker
        self.pages = pages
        self.store = store
        self.reports = reports
        self.versions = versions
        self.recentLimit = recentLimit
        self.abandonAfter = abandonAfter
        self.logger = logger
    }

    /// The reading of `plan`, remembered by its id; `cached` when its audio is already made.
    public func create(_ plan: PagePlan, options: SynthesisOptions = .init()) async -> (Reading, cached: Bool) {
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
        return await store?.contains(reading.id) ?? false
    }

    /// The reading with this id, if it was made or asked for.
    public func reading(_ id: String) async -> Reading? {
        if let r = recent[id] { return r }
        guard let data = await store?.plan(id),
            let stored = try? JSONDecoder().decode(StoredPlan.self, from: data),
            let plan = try? PagePlan(content: stored.content, voiceIDs: stored.voices)
        else { return nil }
        let reading = Reading(
            id: id, plan: plan, options: SynthesisOptions(rate: stored.rate, pitch: stored.pitch, volume: stored.volume)
        )
        remember(reading)
        return reading
    }

    /// The reading's audio in `format`; starts making it if nobody has (an MP3 only now that it is asked for).
    public func audio(_ reading: Reading, _ format: ReadingFormat) async -> Audio {
        let key = Self.key(reading.id, format)
        if let job = jobs[key], let bytes = job.completeAudio(format) { return .bytes(bytes) }
        if jobs[key] == nil, let store, await store.file(reading.id, format.fileName) != nil {
            return .file(directory: store.directory, name: ReadingStore.relative(reading.id, format.fileName))
        }
        return .live(job(for: reading, format).audio(format))
    }

    /// The reading's marks; starts making the reading if nobody has.
    public func marks(_ reading: Reading) async -> Marks {
        let key = Self.key(reading.id, .ogg)
        if let job = jobs[key], let marks = job.completeMarks() { return .complete(marks) }
        if jobs[key] == nil, let data = await store?.read(reading.id, "marks.json"),
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

    private func job(for reading: Reading, _ format: ReadingFormat) -> ReadingJob {
        let key = Self.key(reading.id, format)
        if let job = jobs[key], !job.failed { return job }
        let job = ReadingJob(reading: reading, format: format, abandonAfter: abandonAfter) { [weak self] job in
            Task { await self?.listenersLeft(job) }
        }
        jobs[key] = job
        syntheses += 1
        making += 1
        let speaker = self.speaker
        let task = Task {
            await job.run(speaker: speaker)
            await self.jobEnded(job)
        }
        job.state.withLock { $0.task = task }
        return job
    }

    /// The last listener of an unfinished job has gone: unless one comes back in `abandonAfter`, the synthesis
    /// stops (a page nobody hears no longer keeps the workers busy).
    private func listenersLeft(_ job: ReadingJob) async {
        try? await Task.sleep(for: abandonAfter)
        job.abandonIfUnheard()
    }

    /// A finished job goes to the store; without one, the last few stay in memory.
    private func jobEnded(_ job: ReadingJob) async {
        making -= 1
        if job.wasAbandoned {
            abandoned += 1
            logger.info(
                "reading abandoned", metadata: ["id": "\(job.reading.id)", "format": "\(job.format.rawValue)"])
        }
        let id = job.reading.id
        let key = Self.key(id, job.format)
        guard let audio = job.completeAudio(job.format) else {
            if jobs[key] === job { jobs[key] = nil }
            return
        }
        if let store {
            do {
                if job.format == .ogg, let marks = job.completeMarks() {
                    let plan = job.reading.plan
                    let options = job.reading.options
                    let stored = StoredPlan(
                        content: plan.content, voices: plan.voices.map(\.id), rate: options.rate, pitch: options.pitch,
                        volume: options.volume)
                    var files: [String: [UInt8]] = [job.format.fileName: audio]
                    files["marks.json"] = Array(try JSONEncoder().encode(marks))
                    files["plan.json"] = Array(try JSONEncoder().encode(stored))
                    try await store.save(id, files: files)
                } else {
                    try await store.add(id, job.format.fileName, audio)
                }
                if await store.file(id, job.format.fileName) != nil {
                    jobs[key] = nil
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
                logger.error("a reading could not be stored", metadata: ["id": "\(id)", "error": "\(error)"])
            }
        }
        finished.append(key)
        if finished.count > 16 {
            let old = finished.removeFirst()
            if let done = jobs[old], done.completeAudio(done.format) != nil { jobs[old] = nil }
        }
    }
}

extension PagePlan {
    /// A plan whose voices were chosen before (a stored reading's).
    init(content: PageContent, voiceIDs: [String]) throws(ReadingError) {
        try self.init(content: content)
        guard voiceIDs.count == content.passages.count else { throw .badAnswer("a stored plan does not match") }
        voices = try voiceIDs.map { id throws(ReadingError) in
            guard let v = VoiceCatalog.voice(named: id) else { throw .unknownVoice(lang: "", voice: id) }
            return v
        }
    }
}

extension ReadingMarks {
    /// The marks as WebVTT: a cue per word, from its mark to the next one (the last to the end of the audio).
    public func webVTT(plan: PagePlan) -> String {
        func time(_ ms: Int) -> String {
            String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
        }
        let words = marks.filter { $0.type == "word" }
        var out = "WEBVTT\n\n"
        for (i, m) in words.enumerated() {
            let end = max(m.timeMs + 1, i + 1 < words.count ? words[i + 1].timeMs : durationMs)
            let scalars = Array(plan.content.passages[m.passage].text.unicodeScalars)
            let text = String(String.UnicodeScalarView(scalars[m.offset..<min(scalars.count, m.offset + m.length)]))
            out += "p\(m.passage)-\(m.offset)\n\(time(m.timeMs)) --> \(time(end))\n\(text)\n\n"
        }
        return out
    }
}
