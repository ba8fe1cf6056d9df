import Foundation
import QariText
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

    /// The sample rate of the speech this speaker makes (the engine's, told by its workers).
    public var sampleRate: Int {
        get async { await pool.sampleRate }
    }

    /// Streams the speech of `request`, once its first audio or mark exists.
    ///
    /// Returning only then lets a server answer with a precise error (busy, crashed, timed out) instead of a
    /// truncated 200 whenever the failure comes before any audio.
    public func speak(_ request: SpeechRequest) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        try await admission.admit(pool: pool) { try await speakAdmitted(request) }
    }

    private func speakAdmitted(_ request: SpeechRequest) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        if request.options.ssml { return try await speakSSML(request) }
        let scalars = Array(request.text.unicodeScalars)
        let parts = ScriptRuns.split(request.text, voice: request.voice).map { run in
            Part(
                passage: 0, offset: run.range.lowerBound, text: String(String.UnicodeScalarView(scalars[run.range])),
                voice: run.voice)
        }
        return try await speak(parts: parts, options: request.options, background: { false })
    }

    /// Streams the speech of `passages` in order, each in its own voice, with a pause after each (a block).
    ///
    /// Marks carry the passage's index and an offset in its text. The first passage is spoken while the rest are
    /// prepared.
    ///
    /// `background` says, at each piece, whether nobody waits for the speech yet (a reading made before anyone
    /// asks): its pieces then take only idle workers, and it does not count against the speeches a listener may
    /// be refused for.
    ///
    /// `continuing`: the passages go on a reading already accepted (not its first): never refused as busy, and not
    /// counted again against the speeches a listener may be refused for.
    public func speak(
        passages: [SpokenPassage], options: SynthesisOptions, background: (@Sendable () -> Bool)? = nil,
        continuing: Bool = false
    ) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        let parts = passages.enumerated().map { i, p in Self.part(passage: i, text: p.text, voice: p.voice) }
        if continuing || background?() == true {
            return try await speak(
                parts: parts, options: options, background: background ?? { false }, continuing: continuing)
        }
        return try await admission.admit(pool: pool) {
            try await speak(parts: parts, options: options, background: background ?? { false })
        }
    }

    /// What a reading's passage is given to its voice before vowels are restored: the lexicons' and the normaliser's
    /// rewrite of it. Passages with the same form sound the same (in the same voice, options and versions), and a
    /// lexicon change alters the form only of passages holding a changed word.
    public func spokenForm(passage: SpokenPassage) -> String {
        let part = Self.part(passage: 0, text: passage.text, voice: passage.voice)
        return TextPreparation.prepare(part.text, voice: passage.voice, lexicons: lexicons.current).spokenString
    }

    /// A reading's passage as it is spoken: whole, in its voice, ended as a block.
    static func part(passage: Int, text: String, voice: Voice) -> Part {
        Part(passage: passage, offset: 0, text: text + "\n", voice: voice)
    }

    /// How a part is cut into engine requests. Only restoring vowels takes long enough to be worth overlapping with
    /// speech: Arabic is cut after sentences (prepared while the previous piece is spoken), other texts go whole.
    func chunks(of part: Part) -> [Chunk] {
        let overlap = diacritizer != nil && TextNormalizer.Language(tag: part.voice.language) == .arabic
        return (overlap ? Self.chunks(of: part.text) : [Chunk(offset: 0, text: part.text)]).map {
            Chunk(passage: part.passage, offset: part.offset + $0.offset, text: $0.text, voice: part.voice)
        }
    }

    /// A piece of the caller's text in one voice: where it is (passage, code-point offset) and what it says.
    struct Part {
        var passage: Int
        var offset: Int
        var text: String
        var voice: Voice
    }

    private func speak(
        parts: [Part], options: SynthesisOptions, background: @escaping @Sendable () -> Bool, continuing: Bool = false
    ) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        var options = options
        var chunks: [Chunk] = []
        for part in parts {
            if part.voice.amazighVariety != nil { options.phonemeInput = true }
            chunks += self.chunks(of: part)
        }
        guard let head = chunks.first, let firstVoice = head.voice else {
            throw SpeechError.nothingToSay
        }
        let first = Piece(
            spoken: await prepare(head.text, voice: firstVoice, urgent: true, keep: !options.isPrivate),
            passage: head.passage,
            offset: head.offset,
            voice: firstVoice)
        // The rest is prepared while the first chunk is spoken; the worker takes each as soon as it is ready.
        let (rest, restContinuation) = AsyncStream<Piece>.makeStream()
        let keep = !options.isPrivate
        let preparer = Task {
            for chunk in chunks.dropFirst() {
                if Task.isCancelled { break }
                let voice = chunk.voice ?? firstVoice
                restContinuation.yield(
                    Piece(
                        spoken: await prepare(chunk.text, voice: voice, keep: keep), passage: chunk.passage,
                        offset: chunk.offset,
                        voice: voice))
            }
            restContinuation.finish()
        }
        do {
            return try await speak(
                first: first, rest: rest, preparer: preparer, options: options, background: background,
                continuing: continuing)
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

    /// Speaks `first` then each piece of `rest` (see `PieceStream`).
    private func speak(
        first: Piece, rest: AsyncStream<Piece>, preparer: Task<Void, Never>?, options: SynthesisOptions,
        background: @escaping @Sendable () -> Bool = { false }, continuing: Bool = false
    ) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        let stream = PieceStream(
            pool: pool, poison: poison, options: options, rate: await sampleRate, background: background,
            continuing: continuing)
        return try await stream.speak(first: first, rest: rest, preparer: preparer)
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

    /// eSpeak's phonemes for code points `range` of a reading's passage `text`, as the reading says them: the
    /// passage cut and prepared as `speak(passages:)` does (lexicons, numbers, Arabic vowels restored in the same
    /// sentences, so those already restored for the reading are not restored again), then the spoken part behind
    /// `range`.
    public func phonemes(of range: Range<Int>, inPassage text: String, voice: Voice) async throws -> String {
        var spoken: [Unicode.Scalar] = []
        for chunk in chunks(of: Self.part(passage: 0, text: text, voice: voice)) {
            let lower = max(0, range.lowerBound - chunk.offset)
            let upper = min(chunk.text.unicodeScalars.count, range.upperBound - chunk.offset)
            guard lower < upper else { continue }
            let local = lower..<upper
            let prepared = await prepare(chunk.text, voice: voice)
            if !spoken.isEmpty { spoken.append(" ") }
            for (i, scalar) in prepared.spoken.enumerated()
            where prepared.originalRange(spokenStart: i, length: 1).overlaps(local) {
                spoken.append(scalar)
            }
        }
        let part = String(String.UnicodeScalarView(spoken)).trimmingCharacters(in: .whitespaces)
        guard !part.isEmpty else { return "" }
        // A listener's report, already taken, waits on these few milliseconds: before the readings in the queue,
        // and never refused as busy (a busy pool would leave the report without the phonemes a linguist needs).
        return try await pool.phonemes(text: part, voice: voice.espeakVoice, ipa: false, priority: .urgent)
            .trimmingCharacters(in: .whitespacesAndNewlines)
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
    /// `keep` false: the restored sentences are not kept in the diacritizer's memo (a citizen's own page).
    public func prepare(
        _ text: String, voice: Voice, headings: Bool = true, urgent: Bool = false, keep: Bool = true
    ) async -> SpokenText {
        let spoken = TextPreparation.prepare(text, voice: voice, lexicons: lexicons.current, headings: headings)
        if TextNormalizer.Language(tag: voice.language) == .arabic, voice.amazighVariety == nil, let diacritizer,
            let vowelled = await diacritizer.diacritize(spoken.spokenString, urgent: urgent, keep: keep)
        {
            return spoken.then(vowelled)
        }
        return spoken
    }

}
