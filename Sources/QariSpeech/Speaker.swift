import QariWorkers
import Synchronization

/// What a caller asks to hear.
public struct SpeechRequest: Sendable {
    public var text: String
    public var voice: Voice
    public var options: SynthesisOptions
    /// The SSML document of an SSML request, parsed once where the request was checked (the route, the CLI).
    public var ssml: SSMLDocument?

    public init(text: String, voice: Voice, options: SynthesisOptions = .init(), ssml: SSMLDocument? = nil) {
        self.text = text
        self.voice = voice
        self.options = options
        self.ssml = ssml
    }
}

/// A passage of a page (or any block of text) and the voice that reads it.
public struct SpokenPassage: Sendable, Equatable {
    public var text: String
    public var voice: Voice

    public init(text: String, voice: Voice) {
        self.text = text
        self.voice = voice
    }
}

/// What a speech request can fail with before any worker sees it.
public enum SpeechError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text has nothing to say.
    case nothingToSay

    public var description: String {
        switch self {
        case .nothingToSay: "nothing to say: the text is empty"
        }
    }
}

/// Audio and marks of one request, in the order they are produced.
public enum SpeechEvent: Sendable, Equatable {
    /// 16-bit mono PCM at the pool's sample rate.
    case audio([Int16])
    /// Marks on the caller's text.
    case marks([Mark])
    /// The audio is complete: this many samples in all.
    case end(samples: Int)
}

/// Speaks text through a worker pool: prepares it for eSpeak and maps marks back to the caller's text.
///
/// A long Arabic text is spoken in chunks of whole sentences, the first one alone: its audio starts as soon as
/// that sentence has its vowels restored, while the next chunk is diacritized.
public struct Speaker: Sendable {
    public let pool: WorkerPool
    /// Restores Arabic vowels; nil speaks Arabic as written.
    public let diacritizer: Diacritizer?
    /// Speeches being made at once, at most the workers plus the queue: beyond, `busy` at once.
    public let admission: Admission
    /// Texts that crashed the engine twice.
    let poison = PoisonPills()

    /// The pronunciation lexicons applied before normalisation (replaced on SIGHUP by a daemon).
    public let lexicons: LexiconStore

    public init(pool: WorkerPool, diacritizer: Diacritizer? = nil, lexicons: LexiconStore = LexiconStore()) {
        self.pool = pool
        self.diacritizer = diacritizer
        self.lexicons = lexicons
        admission = Admission(limit: pool.configuration.workers + pool.configuration.queueLimit)
    }

    /// Runs `make` if a speech may start now, and counts it until its stream ends.
    ///
    /// A page's speech spends the diacritizer and a worker for seconds: admitting only what the workers and the
    /// queue hold keeps the wait of accepted requests bounded, and refuses the rest before anything is spent.
    private func admitted(
        _ make: () async throws -> AsyncThrowingStream<SpeechEvent, any Error>
    ) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        guard admission.enter() else {
            throw WorkerError.busy(pool: pool.name, queueLimit: pool.configuration.queueLimit)
        }
        let inner: AsyncThrowingStream<SpeechEvent, any Error>
        do { inner = try await make() } catch {
            admission.leave()
            throw error
        }
        let admission = self.admission
        let (output, continuation) = AsyncThrowingStream<SpeechEvent, any Error>.makeStream()
        let relay = Task {
            do {
                for try await event in inner { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in
            relay.cancel()
            admission.leave()
        }
        return output
    }

    /// Streams the speech of `request`, once its first audio or mark exists.
    ///
    /// Returning only then lets a server answer with a precise error (busy, crashed, timed out) instead of a
    /// truncated 200 whenever the failure comes before any audio.
    public func speak(_ request: SpeechRequest) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        try await admitted { try await speakAdmitted(request) }
    }

    private func speakAdmitted(_ request: SpeechRequest) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        if request.options.ssml { return try await speakSSML(request) }
        let scalars = Array(request.text.unicodeScalars)
        let parts = ScriptRuns.split(request.text, voice: request.voice).map { run in
            Part(
                passage: 0, offset: run.range.lowerBound, text: String(String.UnicodeScalarView(scalars[run.range])),
                voice: run.voice)
        }
        return try await speak(parts: parts, options: request.options)
    }

    /// Streams the speech of `passages` in order, each in its own voice, with a pause after each (a block).
    ///
    /// Marks carry the passage's index and an offset in its text. The first passage is spoken while the rest are
    /// prepared.
    public func speak(passages: [SpokenPassage], options: SynthesisOptions) async throws
        -> AsyncThrowingStream<SpeechEvent, any Error>
    {
        let parts = passages.enumerated().map { i, p in Part(passage: i, offset: 0, text: p.text + "\n", voice: p.voice)
        }
        return try await admitted { try await speak(parts: parts, options: options) }
    }

    /// A piece of the caller's text in one voice: where it is (passage, code-point offset) and what it says.
    struct Part {
        var passage: Int
        var offset: Int
        var text: String
        var voice: Voice
    }

    private func speak(parts: [Part], options: SynthesisOptions) async throws
        -> AsyncThrowingStream<SpeechEvent, any Error>
    {
        var options = options
        var chunks: [Chunk] = []
        for part in parts {
            if part.voice.amazighVariety != nil { options.phonemeInput = true }
            // Only restoring vowels takes long enough to be worth overlapping with speech: other texts go whole.
            let overlap = diacritizer != nil && TextNormalizer.Language(tag: part.voice.language) == .arabic
            for chunk in overlap ? Self.chunks(of: part.text) : [Chunk(offset: 0, text: part.text)] {
                chunks.append(
                    Chunk(
                        passage: part.passage, offset: part.offset + chunk.offset, text: chunk.text, voice: part.voice))
            }
        }
        guard let head = chunks.first, let firstVoice = head.voice else {
            throw SpeechError.nothingToSay
        }
        let first = Piece(
            spoken: await prepare(head.text, voice: firstVoice, urgent: true), passage: head.passage,
            offset: head.offset,
            voice: firstVoice)
        // The rest is prepared while the first chunk is spoken; the worker takes each as soon as it is ready.
        let (rest, restContinuation) = AsyncStream<Piece>.makeStream()
        let preparer = Task {
            for chunk in chunks.dropFirst() {
                if Task.isCancelled { break }
                let voice = chunk.voice ?? firstVoice
                restContinuation.yield(
                    Piece(
                        spoken: await prepare(chunk.text, voice: voice), passage: chunk.passage, offset: chunk.offset,
                        voice: voice))
            }
            restContinuation.finish()
        }
        do {
            return try await speak(first: first, rest: rest, preparer: preparer, options: options)
        } catch {
            preparer.cancel()
            throw error
        }
    }

    /// Warnings about the text a listener should know of (Tifinagh letters read by a stand-in).
    public static func warnings(for text: String) -> [String] {
        AmazighFrontEnd.warnings(text)
    }

    /// SSML: validated, then each `<voice xml:lang>` run spoken by its own voice.
    private func speakSSML(_ request: SpeechRequest) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        let document = try request.ssml ?? SSMLDocument(request.text)
        let segments = await document.segments { text, language in
            await prepare(text, voice: language.flatMap(VoiceCatalog.voice(named:)) ?? request.voice, headings: false)
        }
        let pieces = segments.map { segment in
            Piece(
                spoken: segment.spoken, passage: 0, offset: 0, words: segment.words,
                voice: segment.language.flatMap(VoiceCatalog.voice(named:)) ?? request.voice)
        }
        guard let first = pieces.first else {
            throw SSMLError(line: 1, column: 1, message: "the document has nothing to say")
        }
        let (rest, restContinuation) = AsyncStream<Piece>.makeStream()
        for piece in pieces.dropFirst() { restContinuation.yield(piece) }
        restContinuation.finish()
        return try await speak(first: first, rest: rest, preparer: nil, options: request.options)
    }

    /// What one engine request speaks.
    struct Piece: Sendable {
        var spoken: SpokenText
        /// The caller's passage it belongs to.
        var passage: Int
        /// Code-point offset of `spoken.original` in that passage.
        var offset: Int
        /// The words marks stand for (default: every word of `spoken.original`).
        var words: [Range<Int>]?
        var voice: Voice
    }

    /// Speaks `first` then each piece of `rest`, with marks shifted onto the caller's text.
    ///
    /// Each piece is its own request to the pool: a speech's first piece goes before every other waiting piece (a
    /// listener waits for it), the next ones wait their turn, so speeches share the workers piece by piece. Every
    /// request is spoken from the same engine state, so when a worker dies the piece is spoken again on another
    /// and the stream goes on from the sample where it stopped (what was sent is skipped): the listener is not cut
    /// off. A piece that crashes the engine twice (its own crash, not a kill from outside) is a poison pill: the
    /// stream ends with the crash, and the piece is refused at once afterwards.
    private func speak(
        first: Piece, rest: AsyncStream<Piece>, preparer: Task<Void, Never>?, options: SynthesisOptions
    ) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        let rate = await pool.sampleRate
        let pool = self.pool
        let poison = self.poison
        func request(_ piece: Piece, _ priority: RequestPriority) async throws -> AsyncThrowingStream<Frame, any Error>
        {
            try poison.check(piece.spoken.spokenString)
            var options = options
            // Lexicon phonemes (`[[…]]`): the text's own brackets were taken out, so only Qari's remain.
            if piece.spoken.spokenString.contains("[[") { options.phonemeInput = true }
            let message = SpeechRequestMessage.synthesize(
                voice: piece.voice.espeakVoice, options: options, text: piece.spoken.spokenString
            )
            .encoded
            return try await pool.request(kind: message.kind, body: message.body, priority: priority)
        }
        let firstFrames = try await request(first, .first)
        let (output, continuation) = AsyncThrowingStream<SpeechEvent, any Error>.makeStream()
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            let task = Task {
                var pendingStart: CheckedContinuation<Void, any Error>? = started
                var offsetSamples = 0
                var pieces = rest.makeAsyncIterator()
                var piece = first
                var frames = firstFrames
                func fail(_ error: any Error) {
                    preparer?.cancel()
                    pendingStart?.resume(throwing: error)
                    pendingStart = nil
                    continuation.finish(throwing: error)
                }
                while true {
                    var mapper = MarkMapper(text: piece.spoken, sampleRate: rate, words: piece.words)
                    // What this piece has sent so far (over every attempt), and what a retry must skip of it.
                    var sentSamples = 0
                    var sentMarks = 0
                    var skipSamples = 0
                    var skipMarks = 0
                    var crashes = 0
                    var kills = 0
                    func shift(_ marks: [Mark]) -> [Mark] {
                        marks.map { m in
                            var m = m
                            m.passage = piece.passage
                            m.start += piece.offset
                            m.timeMs += offsetSamples * 1000 / max(rate, 1)
                            return m
                        }
                    }
                    func emit(_ marks: [Mark]) {
                        var marks = marks
                        let skipped = min(skipMarks, marks.count)
                        marks.removeFirst(skipped)
                        skipMarks -= skipped
                        sentMarks += marks.count
                        if !marks.isEmpty { continuation.yield(.marks(shift(marks))) }
                    }
                    attempts: while true {
                        do {
                            for try await frame in frames {
                                switch try SpeechAnswer.decode(frame) {
                                case .audio(var samples):
                                    let skipped = min(skipSamples, samples.count)
                                    samples.removeFirst(skipped)
                                    skipSamples -= skipped
                                    sentSamples += samples.count
                                    if !samples.isEmpty { continuation.yield(.audio(samples)) }
                                case .marks(let marks): emit(mapper.map(marks))
                                case .end(let samples): emit(mapper.finish(totalSamples: samples))
                                case .phonemes: break
                                }
                                pendingStart?.resume()
                                pendingStart = nil
                            }
                            break attempts
                        } catch let error as WorkerError {
                            guard case .crashed = error, !Task.isCancelled else { return fail(error) }
                            // Only a crash of the engine's own counts against the text; a worker killed from
                            // outside (SIGKILL) says nothing about it, and is retried a few more times.
                            if error.wasKilledFromOutside {
                                kills += 1
                                guard kills < 8 else { return fail(error) }
                            } else {
                                crashes += 1
                                guard crashes < 2 else {
                                    poison.add(piece.spoken.spokenString)
                                    return fail(error)
                                }
                            }
                            // Again on another worker, ahead of other requests; what was sent of it is skipped.
                            do {
                                frames = try await request(piece, .urgent)
                            } catch {
                                return fail(error)
                            }
                            skipSamples = sentSamples
                            skipMarks = sentMarks
                            mapper = MarkMapper(text: piece.spoken, sampleRate: rate, words: piece.words)
                        } catch {
                            return fail(error)
                        }
                    }
                    offsetSamples += sentSamples
                    guard let next = await pieces.next() else { break }
                    piece = next
                    do {
                        frames = try await request(piece, .continuation)
                    } catch {
                        return fail(error)
                    }
                }
                continuation.yield(.end(samples: offsetSamples))
                pendingStart?.resume()
                continuation.finish()
            }
            continuation.onTermination = { _ in
                task.cancel()
                preparer?.cancel()
            }
        }
        return output
    }

    /// The phonemes of `text` in `voice`, as eSpeak mnemonics or IPA.
    ///
    /// A text that mixes scripts gives one line per run, each in its own voice's phonemes.
    public func phonemes(_ text: String, voice: Voice, ipa: Bool) async throws -> String {
        var lines: [String] = []
        let scalars = Array(text.unicodeScalars)
        for run in ScriptRuns.split(text, voice: voice) {
            let prepared = await prepare(String(String.UnicodeScalarView(scalars[run.range])), voice: run.voice)
            var result = try await pool.phonemes(text: prepared.spokenString, voice: run.voice.espeakVoice, ipa: ipa)
            if ipa && run.voice.amazighVariety != nil { result = Self.amazighIPA(result) }
            if !result.isEmpty { lines.append(result) }
        }
        return lines.joined(separator: "\n")
    }

    /// eSpeak prints a few of the Arabic table's phonemes by their Arabic values; Amazigh readers expect these.
    static func amazighIPA(_ ipa: String) -> String {
        var out = ipa
        for (from, to) in [("t̪", "tˤ"), ("s̪", "sˤ"), ("a.", "ɑ"), ("i.", "ɪ"), ("u.", "ʊ")] {
            out = out.replacing(from, with: to)
        }
        return out
    }

    /// What eSpeak reads for `text`: headings closed, numbers and abbreviations read out, Arabic vowels restored.
    public func prepare(_ text: String, voice: Voice, headings: Bool = true, urgent: Bool = false) async -> SpokenText {
        let spoken = TextPreparation.prepare(text, voice: voice, lexicons: lexicons.current, headings: headings)
        if TextNormalizer.Language(tag: voice.language) == .arabic, voice.amazighVariety == nil, let diacritizer,
            let vowelled = await diacritizer.diacritize(spoken.spokenString, urgent: urgent)
        {
            return spoken.then(vowelled)
        }
        return spoken
    }

    /// A piece of the caller's text spoken by one engine request.
    struct Chunk: Equatable {
        /// The caller's passage it belongs to.
        var passage = 0
        /// Code-point offset of the chunk in that passage.
        var offset: Int
        var text: String
        /// The voice of its run (nil: the request's).
        var voice: Voice? = nil
    }

    /// The text cut after sentence ends: the first sentence alone (short first audio), then pieces of about
    /// `size` code points. Cuts fall only on whitespace after a sentence end, so no word is split.
    static func chunks(of text: String, size: Int = 1200) -> [Chunk] {
        let scalars = Array(text.unicodeScalars)
        var cuts: [Int] = []
        var start = 0
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            let ends = MarkMapper.sentenceFinal.contains(c) || c == "\n"
            if ends, i + 1 < scalars.count, scalars[i + 1].properties.isWhitespace {
                var j = i + 1
                while j < scalars.count && scalars[j].properties.isWhitespace { j += 1 }
                let hasWords = scalars[start..<i].contains { MarkMapper.isWordish($0) }
                if hasWords && (cuts.isEmpty || j - start >= size) && j < scalars.count {
                    cuts.append(j)
                    start = j
                }
                i = j
                continue
            }
            i += 1
        }
        var result: [Chunk] = []
        var lo = 0
        for cut in cuts + [scalars.count] where cut > lo {
            result.append(Chunk(offset: lo, text: String(String.UnicodeScalarView(scalars[lo..<cut]))))
            lo = cut
        }
        return result.isEmpty ? [Chunk(offset: 0, text: text)] : result
    }
}

/// A count of speeches being made, with a limit.
public final class Admission: Sendable {
    public let limit: Int
    private let count = Mutex(0)

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Speeches being made now.
    public var current: Int { count.withLock { $0 } }

    func enter() -> Bool {
        count.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func leave() { count.withLock { $0 = max(0, $0 - 1) } }
}

/// Texts that killed two workers: refused at once, never given to a worker again (the most recent 256).
final class PoisonPills: Sendable {
    private let texts = Mutex<[String]>([])

    func check(_ text: String) throws {
        if texts.withLock({ $0.contains(text) }) {
            throw WorkerError.failed(pool: "speech", message: "this text made the engine crash twice; it is not spoken")
        }
    }

    func add(_ text: String) {
        texts.withLock { list in
            if !list.contains(text) { list.append(text) }
            if list.count > 256 { list.removeFirst() }
        }
    }
}
