import QariAudio
import QariSpeech
import Synchronization

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
    /// The form field this job speaks (its reading is then that field's alone), nil for the page's passages.
    let field: Int?
    let state = Mutex(State())
    /// Called (outside the lock) when the last listener of an unfinished job has gone.
    let onIdle: @Sendable (ReadingJob) -> Void
    /// How long it is made with nobody listening before it is given up.
    let abandonAfter: Duration
    /// Where a page's Ogg reading finds and keeps its passages (nil: made at once, as a field or a private page).
    let passages: PassageStore?
    /// Made for nobody waiting yet (a warm): only with idle workers, until a listener asks for it too.
    let background: Atomic<Bool>

    init(
        reading: Reading, format: ReadingFormat = .ogg, field: Int? = nil, abandonAfter: Duration = .seconds(5),
        passages: PassageStore? = nil, background: Bool = false,
        onIdle: @escaping @Sendable (ReadingJob) -> Void = { _ in }
    ) {
        self.background = Atomic(background)
        self.reading = reading
        self.passages = format == .ogg && field == nil && !reading.isPrivate ? passages : nil
        self.format = format
        self.field = field
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

    /// Whether nobody but a warm waits for it now.
    var isBackground: @Sendable () -> Bool { { [weak self] in self?.background.load(ordering: .relaxed) ?? false } }

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

    /// Whether the job is still being made or someone still receives it as it is made.
    var isInUse: Bool {
        state.withLock { s in
            (s.outcome == nil && !s.abandoned) || !s.audioSubscribers.isEmpty || !s.markSubscribers.isEmpty
        }
    }

    /// About what the job holds in memory: its audio, and its marks at their in-memory size.
    var bytes: Int {
        state.withLock { s in
            s.audio.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
                + s.marks.count * MemoryLayout<PageMark>.stride
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
        if let passages {
            await run(speaker: speaker, passages: passages)
            return
        }
        do {
            let stream = try await speaker.speak(
                passages: reading.plan.passages, options: reading.options, background: isBackground)
            let rate = await speaker.sampleRate
            var encoder: any AudioEncoder =
                format == .ogg
                // The opening at a higher bitrate fills a browser's first read of the stream within a second or
                // two of speech; a field's few seconds are fetched whole.
                ? try OpusEncoder(sampleRate: rate, opening: field == nil ? (seconds: 2, bitrate: 256_000) : nil)
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

    /// A page's Ogg reading assembled passage by passage: a stored passage is sent as it was kept, a missing one is
    /// spoken alone, streamed as it comes and then kept. Made at once or from stored passages, the bytes and the
    /// marks are the same.
    func run(speaker: Speaker, passages store: PassageStore) async {
        do {
            let rate = await speaker.sampleRate
            var assembler = OggOpusAssembler()
            append(format, assembler.headers(inputRate: rate))
            var start48k = 0
            var end48k = 0
            for (index, passage) in reading.plan.passages.enumerated() {
                let spoken = await speaker.spokenForm(passage: passage)
                let key = store.key(spoken: spoken, voice: passage.voice, options: reading.options, opening: index == 0)
                let startMs = start48k / 48
                let made: StoredPassage
                if let stored = await store.load(key) {
                    store.counts.reused.add(1, ordering: .relaxed)
                    append(format, assembler.add(stored.audio.packets))
                    append(stored.marks.map { placed($0, passage: index, startMs: startMs) })
                    made = stored
                } else {
                    made = try await speak(
                        passage, index: index, startMs: startMs, speaker: speaker, rate: rate, assembler: &assembler)
                    store.counts.made.add(1, ordering: .relaxed)
                    await store.save(key, made)
                }
                end48k = start48k + made.audio.samples48k
                start48k += made.audio.frames48k
            }
            try Task.checkCancellation()
            append(format, assembler.finish(speechEnd: Int64(end48k)))
            finish(.done(durationMs: end48k / 48))
        } catch {
            finish(.failed(error))
        }
    }

    /// A passage's mark placed in the reading: its passage, and its time from the reading's start.
    private func placed(_ mark: Mark, passage: Int, startMs: Int) -> PageMark {
        var mark = mark
        mark.passage = passage
        mark.timeMs += startMs
        return reading.plan.pageMark(mark)
    }

    /// Speaks one passage alone from a fresh encoder, streaming its pages and marks as they come.
    private func speak(
        _ passage: SpokenPassage, index: Int, startMs: Int, speaker: Speaker, rate: Int,
        assembler: inout OggOpusAssembler
    ) async throws -> StoredPassage {
        // The opening at a higher bitrate fills a browser's first read of the stream within a second or two.
        let encoder = try OpusPassageEncoder(
            sampleRate: rate, opening: index == 0 ? (seconds: 2, bitrate: 256_000) : nil)
        var marks: [Mark] = []
        // A later passage goes on a reading already accepted: it waits its turn, but is never refused as busy.
        let events = try await speaker.speak(
            passages: [passage], options: reading.options, background: isBackground, continuing: index > 0)
        for try await event in events {
            switch event {
            case .audio(let pcm):
                if abandonIfUnheard() { throw CancellationError() }
                append(format, assembler.add(try encoder.encode(pcm)))
            case .marks(let batch):
                marks += batch
                append(batch.map { placed($0, passage: index, startMs: startMs) })
            case .end:
                break
            }
        }
        try Task.checkCancellation()
        let (last, audio) = try encoder.finish()
        append(format, assembler.add(last))
        return StoredPassage(audio: audio, marks: marks)
    }
}
