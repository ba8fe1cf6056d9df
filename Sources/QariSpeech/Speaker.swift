/// What a caller asks to hear.
public struct SpeechRequest: Sendable {
    public var text: String
    public var voice: Voice
    public var options: SynthesisOptions

    public init(text: String, voice: Voice, options: SynthesisOptions = .init()) {
        self.text = text
        self.voice = voice
        self.options = options
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
public struct Speaker: Sendable {
    public let pool: WorkerPool

    public init(pool: WorkerPool) {
        self.pool = pool
    }

    /// Streams the speech of `request`, once its first audio or mark exists.
    ///
    /// Returning only then lets a server answer with a precise error (busy, crashed, timed out) instead of a
    /// truncated 200 whenever the failure comes before any audio.
    public func speak(_ request: SpeechRequest) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        let spoken = SpokenText.prepare(request.text)
        let rate = await pool.sampleRate
        let events = try await pool.synthesize(
            text: spoken.spokenString, voice: request.voice.espeakVoice, options: request.options)
        let (output, continuation) = AsyncThrowingStream<SpeechEvent, any Error>.makeStream()
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            let task = Task {
                var mapper = MarkMapper(text: spoken, sampleRate: rate)
                var pendingStart: CheckedContinuation<Void, any Error>? = started
                do {
                    for try await event in events {
                        switch event {
                        case .audio(let samples): continuation.yield(.audio(samples))
                        case .marks(let marks):
                            let mapped = mapper.map(marks)
                            if !mapped.isEmpty { continuation.yield(.marks(mapped)) }
                        case .end(let samples):
                            let rest = mapper.finish(totalSamples: samples)
                            if !rest.isEmpty { continuation.yield(.marks(rest)) }
                            continuation.yield(.end(samples: samples))
                        case .phonemes: break
                        }
                        pendingStart?.resume()
                        pendingStart = nil
                    }
                    pendingStart?.resume()
                    continuation.finish()
                } catch {
                    if let pendingStart {
                        pendingStart.resume(throwing: error)
                    }
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return output
    }

    /// The phonemes of `text` in `voice`, as eSpeak mnemonics or IPA.
    public func phonemes(_ text: String, voice: Voice, ipa: Bool) async throws -> String {
        try await pool.phonemes(text: SpokenText.prepare(text).spokenString, voice: voice.espeakVoice, ipa: ipa)
    }
}
