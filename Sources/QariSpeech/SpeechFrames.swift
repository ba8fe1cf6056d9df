import Logging
import QariWorkers

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
