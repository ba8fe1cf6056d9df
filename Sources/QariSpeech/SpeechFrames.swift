import Logging
import QariWorkers

/// Synthesis settings passed to eSpeak NG.
public struct SynthesisOptions: Sendable, Equatable {
    /// Speaking rate in words per minute (80–450).
    public var rate: Int
    /// Base pitch (0–100, 50 is the voice's normal).
    public var pitch: Int
    /// Volume (0–200, 100 is normal).
    public var volume: Int
    /// The text holds eSpeak SSML markup.
    public var ssml: Bool
    /// Text inside `[[…]]` is eSpeak phoneme mnemonics.
    public var phonemeInput: Bool

    public static let rateRange = 80...450
    public static let pitchRange = 0...100
    public static let volumeRange = 0...200

    public init(rate: Int = 175, pitch: Int = 50, volume: Int = 100, ssml: Bool = false, phonemeInput: Bool = false) {
        self.rate = rate
        self.pitch = pitch
        self.volume = volume
        self.ssml = ssml
        self.phonemeInput = phonemeInput
    }
}

/// A word, sentence or SSML mark event as the engine reports it, in the coordinates of the text the engine read.
public struct EngineMark: Sendable, Equatable {
    public enum Kind: UInt8, Sendable { case word = 1, sentence = 2, mark = 3 }
    public var kind: Kind
    /// 0-based code-point offset in the text given to the engine.
    public var position: Int
    /// Length in code points.
    public var length: Int
    /// Sample offset in the audio of this request.
    public var sample: Int
    /// The name of an SSML `<mark>`, empty otherwise.
    public var name: String

    public init(kind: Kind, position: Int, length: Int, sample: Int, name: String = "") {
        self.kind = kind
        self.position = position
        self.length = length
        self.sample = sample
        self.name = name
    }
}

/// The frame kinds of a `qari worker` (eSpeak NG) process: requests, then answers.
public enum SpeechFrameKind: UInt8, FrameKindTable {
    case synthesize = 1
    case phonemes = 2
    case audio = 11
    case marks = 12
    case end = 13
    case phonemesAnswer = 15
}

/// What the daemon asks of a `qari worker` (eSpeak NG) process.
public enum SpeechRequestMessage: Sendable, Equatable {
    case synthesize(voice: String, options: SynthesisOptions, text: String)
    case phonemes(voice: String, ipa: Bool, text: String)

    static let synthesizeKind = SpeechFrameKind.synthesize.rawValue
    static let phonemesKind = SpeechFrameKind.phonemes.rawValue

    /// The frame kind and body.
    public var encoded: (kind: UInt8, body: [UInt8]) {
        var w = ByteWriter()
        switch self {
        case .synthesize(let voice, let o, let text):
            w.string(voice)
            w.i32(Int32(o.rate))
            w.i32(Int32(o.pitch))
            w.i32(Int32(o.volume))
            w.u32((o.ssml ? 1 : 0) | (o.phonemeInput ? 2 : 0))
            w.string(text)
            return (Self.synthesizeKind, w.bytes)
        case .phonemes(let voice, let ipa, let text):
            w.string(voice)
            w.u32(ipa ? 1 : 0)
            w.string(text)
            return (Self.phonemesKind, w.bytes)
        }
    }

    /// Reads a request frame.
    public static func decode(_ frame: Frame) throws(FrameError) -> SpeechRequestMessage {
        var r = ByteReader(frame.body)
        let message: SpeechRequestMessage
        switch frame.kind {
        case synthesizeKind:
            let voice = try r.string()
            let rate = Int(try r.i32())
            let pitch = Int(try r.i32())
            let volume = Int(try r.i32())
            let flags = try r.u32()
            let text = try r.string()
            let o = SynthesisOptions(
                rate: rate, pitch: pitch, volume: volume, ssml: flags & 1 != 0, phonemeInput: flags & 2 != 0)
            message = .synthesize(voice: voice, options: o, text: text)
        case phonemesKind:
            message = .phonemes(voice: try r.string(), ipa: try r.u32() != 0, text: try r.string())
        default:
            throw FrameError("a speech worker takes no frame of kind \(frame.kind)")
        }
        try r.end(frame.kind)
        return message
    }
}

/// What a `qari worker` answers: audio and marks ending in `end`, or the phonemes.
public enum SpeechAnswer: Sendable, Equatable {
    /// 16-bit mono PCM.
    case audio([Int16])
    case marks([EngineMark])
    /// The request's audio is complete: this many samples.
    case end(samples: Int)
    case phonemes(String)

    static let audioKind = SpeechFrameKind.audio.rawValue
    static let marksKind = SpeechFrameKind.marks.rawValue
    static let endKind = SpeechFrameKind.end.rawValue
    static let phonemesKind = SpeechFrameKind.phonemesAnswer.rawValue
    /// The kinds that end an answer.
    static let answerEnds: Set<UInt8> = [endKind, phonemesKind]

    /// The answer's frame for request `id`.
    public func frame(id: UInt64) -> Frame {
        var w = ByteWriter()
        let kind: UInt8
        switch self {
        case .audio(let samples):
            kind = Self.audioKind
            w.samples(samples)
        case .marks(let marks):
            kind = Self.marksKind
            w.u32(UInt32(marks.count))
            for m in marks {
                w.u8(m.kind.rawValue)
                w.u32(UInt32(m.position))
                w.u32(UInt32(m.length))
                w.u64(UInt64(m.sample))
                w.string(m.name)
            }
        case .end(let samples):
            kind = Self.endKind
            w.u64(UInt64(samples))
        case .phonemes(let text):
            kind = Self.phonemesKind
            w.string(text)
        }
        return Frame(kind: kind, id: id, body: w.bytes)
    }

    /// Reads an answer frame.
    public static func decode(_ frame: Frame) throws(FrameError) -> SpeechAnswer {
        var r = ByteReader(frame.body)
        let answer: SpeechAnswer
        switch frame.kind {
        case audioKind:
            answer = .audio(try r.samples())
        case marksKind:
            let count = try r.count()
            var marks = [EngineMark]()
            marks.reserveCapacity(count)
            for _ in 0..<count {
                guard let k = EngineMark.Kind(rawValue: try r.u8()) else { throw FrameError("bad mark kind") }
                let pos = Int(try r.u32())
                let len = Int(try r.u32())
                let sample = Int(try r.u64())
                marks.append(EngineMark(kind: k, position: pos, length: len, sample: sample, name: try r.string()))
            }
            answer = .marks(marks)
        case endKind:
            answer = .end(samples: Int(try r.u64()))
        case phonemesKind:
            answer = .phonemes(try r.string())
        default:
            throw FrameError("unknown speech answer kind \(frame.kind)")
        }
        try r.end(frame.kind)
        return answer
    }
}

extension WorkerPool {
    /// A pool of `qari worker` (eSpeak NG) processes.
    public static func speech(
        _ configuration: WorkerPoolConfiguration = .speech(), logger: Logger = Logger(label: "qari.speech")
    ) -> WorkerPool {
        WorkerPool(name: "speech", configuration: configuration, answerEnds: SpeechAnswer.answerEnds, logger: logger)
    }

    /// Samples per second of every speech worker's PCM.
    public var sampleRate: Int { readyInfo == 0 ? 22050 : Int(readyInfo) }

    /// The phonemes eSpeak would speak for `text`.
    public nonisolated func phonemes(text: String, voice: String, ipa: Bool) async throws -> String {
        let (kind, body) = SpeechRequestMessage.phonemes(voice: voice, ipa: ipa, text: text).encoded
        guard case .phonemes(let result) = try SpeechAnswer.decode(try await call(kind: kind, body: body)) else {
            throw WorkerError.failed(pool: name, message: "the speech worker returned no phonemes")
        }
        return result
    }
}

extension WorkerPoolConfiguration {
    /// Speech workers: `qari worker`, one per core unless `workers` says otherwise.
    ///
    /// The queue holds by default two requests per worker: a page's reading holds its worker for seconds, so a
    /// longer queue only makes waits longer (32 clients waited 11 s at p99 behind a queue of 64); beyond it, 503.
    public static func speech(
        workers: Int? = nil, queueLimit: Int? = nil, requestTimeout: Duration = .seconds(60),
        command: WorkerCommand = .current(["worker"])
    ) -> WorkerPoolConfiguration {
        var c = WorkerPoolConfiguration(queueLimit: queueLimit ?? 0, requestTimeout: requestTimeout, command: command)
        if let workers { c.workers = max(1, workers) }
        if queueLimit == nil { c.queueLimit = 2 * c.workers }
        return c
    }
}
