import QariText
import QariWorkers
import Synchronization

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

/// Speaks a speech's pieces one after another on the pool, with marks shifted onto the caller's text.
///
/// Each piece is its own request to the pool: a speech's first piece goes before every other waiting piece (a
/// listener waits for it), the next ones wait their turn, so speeches share the workers piece by piece. Every
/// request is spoken from the same engine state, so when a worker dies the piece is spoken again on another and
/// the stream goes on from the sample where it stopped (what was sent is skipped): the listener is not cut off.
/// A piece that crashes the engine twice (its own crash, not a kill from outside) is a poison pill: the stream
/// ends with the crash, and the piece is refused at once afterwards.
struct PieceStream: Sendable {
    let pool: WorkerPool
    let poison: PoisonPills
    let options: SynthesisOptions
    let rate: Int
    /// Whether the speech is still made for nobody waiting (asked at each piece: a listener may come meanwhile);
    /// its pieces then take only workers the listeners leave idle.
    var background: @Sendable () -> Bool = { false }
    /// The speech goes on work already accepted (a reading's later passage): its first piece waits its turn like the
    /// others and is never refused as busy.
    var continuing = false
    /// Kills from outside a piece survives (a worker killed by the operator or the OOM killer).
    static let killsAllowed = 8
    /// Crashes of the engine's own that make a piece a poison pill.
    static let crashesAllowed = 2

    /// Streams `first` then each piece of `rest`, once the first audio or mark exists.
    func speak(first: Piece, rest: AsyncStream<Piece>, preparer: Task<Void, Never>?) async throws
        -> AsyncThrowingStream<SpeechEvent, any Error>
    {
        let firstFrames = try await request(first, continuing ? .continuation : .first)
        let (output, continuation) = AsyncThrowingStream<SpeechEvent, any Error>.makeStream()
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            let task = Task {
                let start = StartSignal(started)
                do {
                    var offsetSamples = 0
                    var piece = first
                    var frames = firstFrames
                    var pieces = rest.makeAsyncIterator()
                    while true {
                        offsetSamples += try await speakPiece(
                            piece, frames: frames, offsetSamples: offsetSamples, continuation, start)
                        guard let next = await pieces.next() else { break }
                        piece = next
                        frames = try await request(piece, .continuation)
                    }
                    continuation.yield(.end(samples: offsetSamples))
                    start.resume()
                    continuation.finish()
                } catch {
                    preparer?.cancel()
                    start.fail(error)
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                task.cancel()
                preparer?.cancel()
            }
        }
        return output
    }

    /// One engine request for `piece`.
    func request(_ piece: Piece, _ priority: RequestPriority) async throws -> AsyncThrowingStream<Frame, any Error> {
        try poison.check(piece.spoken.spokenString)
        var options = options
        // Lexicon phonemes (`[[…]]`): the text's own brackets were taken out, so only Qari's remain.
        if piece.spoken.spokenString.contains("[[") { options.phonemeInput = true }
        let message = SpeechRequestMessage.synthesize(
            voice: piece.voice.espeakVoice, options: options, text: piece.spoken.spokenString
        ).encoded
        let priority = priority != .urgent && background() ? .background : priority
        return try await pool.request(kind: message.kind, body: message.body, priority: priority)
    }

    /// Speaks one piece to the end, again on another worker when its worker dies; returns the samples it sent.
    private func speakPiece(
        _ piece: Piece, frames: AsyncThrowingStream<Frame, any Error>, offsetSamples: Int,
        _ continuation: AsyncThrowingStream<SpeechEvent, any Error>.Continuation, _ start: StartSignal
    ) async throws -> Int {
        var attempt = PieceAttempt(piece: piece, rate: rate, offsetSamples: offsetSamples)
        var frames = frames
        var crashes = 0
        var kills = 0
        while true {
            do {
                for try await frame in frames {
                    for event in try attempt.events(for: SpeechAnswer.decode(frame)) { continuation.yield(event) }
                    start.resume()
                }
                return attempt.sentSamples
            } catch let error as WorkerError {
                guard case .crashed = error, !Task.isCancelled else { throw error }
                // Only a crash of the engine's own counts against the text; a worker killed from outside (SIGKILL)
                // says nothing about it, and is retried a few more times.
                if error.wasKilledFromOutside {
                    kills += 1
                    guard kills < Self.killsAllowed else { throw error }
                } else {
                    crashes += 1
                    guard crashes < Self.crashesAllowed else {
                        poison.add(piece.spoken.spokenString)
                        throw error
                    }
                }
                // Again on another worker, ahead of other requests; what was sent of it is skipped.
                frames = try await request(piece, .urgent)
                attempt.retry()
            }
        }
    }
}

/// One piece being spoken: what it has sent (over every attempt), and what a retry must skip of it.
struct PieceAttempt {
    let piece: Piece
    let rate: Int
    let offsetSamples: Int
    var mapper: MarkMapper
    private(set) var sentSamples = 0
    private var sentMarks = 0
    private var skipSamples = 0
    private var skipMarks = 0

    init(piece: Piece, rate: Int, offsetSamples: Int) {
        self.piece = piece
        self.rate = rate
        self.offsetSamples = offsetSamples
        mapper = MarkMapper(text: piece.spoken, sampleRate: rate, words: piece.words)
    }

    /// The events an answer frame gives the listener: audio and marks not sent before, marks on the caller's text.
    mutating func events(for answer: SpeechAnswer) -> [SpeechEvent] {
        switch answer {
        case .audio(var samples):
            let skipped = min(skipSamples, samples.count)
            samples.removeFirst(skipped)
            skipSamples -= skipped
            sentSamples += samples.count
            return samples.isEmpty ? [] : [.audio(samples)]
        case .marks(let marks): return emit(mapper.map(marks))
        case .end(let samples): return emit(mapper.finish(totalSamples: samples))
        case .phonemes: return []
        }
    }

    /// The piece is spoken again from its start: what was sent is skipped.
    mutating func retry() {
        skipSamples = sentSamples
        skipMarks = sentMarks
        mapper = MarkMapper(text: piece.spoken, sampleRate: rate, words: piece.words)
    }

    private mutating func emit(_ marks: [Mark]) -> [SpeechEvent] {
        var marks = marks
        let skipped = min(skipMarks, marks.count)
        marks.removeFirst(skipped)
        skipMarks -= skipped
        sentMarks += marks.count
        guard !marks.isEmpty else { return [] }
        return [
            .marks(
                marks.map { m in
                    var m = m
                    m.passage = piece.passage
                    m.start += piece.offset
                    m.timeMs += offsetSamples * 1000 / max(rate, 1)
                    return m
                })
        ]
    }
}

/// Resumes the caller of `speak` once: when the first audio or mark exists, or with the error that came first.
final class StartSignal: Sendable {
    private let pending: Mutex<CheckedContinuation<Void, any Error>?>

    init(_ continuation: CheckedContinuation<Void, any Error>) { pending = Mutex(continuation) }

    func resume() { pending.withLock { $0.take() }?.resume() }

    func fail(_ error: any Error) { pending.withLock { $0.take() }?.resume(throwing: error) }
}
