/// The framed binary protocol between the daemon and `qari worker` processes.
///
/// Each frame is a 4-byte little-endian payload length, a 1-byte kind, then the payload.
/// Integers are little-endian; strings are a length (u32) followed by UTF-8 bytes.
public enum WorkerFrameKind: UInt8, Sendable {
    // daemon → worker
    case synthesize = 1
    case phonemes = 2
    case diacritize = 3
    case page = 4
    // worker → daemon
    case ready = 10
    case audio = 11
    case marks = 12
    case end = 13
    case failure = 14
    case phonemesResult = 15
    case diacritized = 16
    case pageResult = 17
}

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

/// A message in either direction of the worker protocol.
public enum WorkerMessage: Sendable, Equatable {
    case synthesize(id: UInt64, voice: String, options: SynthesisOptions, text: String)
    case phonemes(id: UInt64, voice: String, ipa: Bool, text: String)
    case ready(sampleRate: Int, pid: Int32)
    case audio(id: UInt64, samples: [Int16])
    case marks(id: UInt64, marks: [EngineMark])
    case end(id: UInt64, samples: Int)
    case failure(id: UInt64, message: String)
    case phonemesResult(id: UInt64, text: String)
    /// Restore Arabic vowels (served by the diacritizer worker, `diacritizer/qari_diacritizer.py`).
    case diacritize(id: UInt64, text: String)
    /// One string per code point of the request's text: that code point with its restored marks.
    case diacritized(id: UInt64, units: [String])
    /// Work on a page (served by `qari page-worker`): what to do, as JSON, and the page's bytes.
    case page(id: UInt64, request: String, body: [UInt8])
    /// The answer to a `page` request (JSON).
    case pageResult(id: UInt64, body: [UInt8])
}

/// Errors in the framing itself: the peer is broken or not a Qari worker.
public struct WorkerProtocolError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension WorkerMessage {
    /// The largest payload either side accepts (a 100,000-character text is at most 400 KB of UTF-8).
    public static let maxPayload = 64 << 20

    /// Encodes the message as one frame.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        let kind: WorkerFrameKind
        switch self {
        case .synthesize(let id, let voice, let o, let text):
            kind = .synthesize
            w.u64(id)
            w.string(voice)
            w.i32(Int32(o.rate))
            w.i32(Int32(o.pitch))
            w.i32(Int32(o.volume))
            w.u32((o.ssml ? 1 : 0) | (o.phonemeInput ? 2 : 0))
            w.string(text)
        case .phonemes(let id, let voice, let ipa, let text):
            kind = .phonemes
            w.u64(id)
            w.string(voice)
            w.u32(ipa ? 1 : 0)
            w.string(text)
        case .ready(let rate, let pid):
            kind = .ready
            w.u32(UInt32(rate))
            w.i32(pid)
        case .audio(let id, let samples):
            kind = .audio
            w.u64(id)
            w.samples(samples)
        case .marks(let id, let marks):
            kind = .marks
            w.u64(id)
            w.u32(UInt32(marks.count))
            for m in marks {
                w.bytes.append(m.kind.rawValue)
                w.u32(UInt32(m.position))
                w.u32(UInt32(m.length))
                w.u64(UInt64(m.sample))
                w.string(m.name)
            }
        case .end(let id, let samples):
            kind = .end
            w.u64(id)
            w.u64(UInt64(samples))
        case .failure(let id, let message):
            kind = .failure
            w.u64(id)
            w.string(message)
        case .phonemesResult(let id, let text):
            kind = .phonemesResult
            w.u64(id)
            w.string(text)
        case .diacritize(let id, let text):
            kind = .diacritize
            w.u64(id)
            w.string(text)
        case .diacritized(let id, let units):
            kind = .diacritized
            w.u64(id)
            w.u32(UInt32(units.count))
            for u in units { w.string(u) }
        case .page(let id, let request, let body):
            kind = .page
            w.u64(id)
            w.string(request)
            w.raw(body)
        case .pageResult(let id, let body):
            kind = .pageResult
            w.u64(id)
            w.raw(body)
        }
        var frame = [UInt8]()
        frame.reserveCapacity(5 + w.bytes.count)
        let n = UInt32(w.bytes.count)
        frame.append(contentsOf: [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)])
        frame.append(kind.rawValue)
        frame.append(contentsOf: w.bytes)
        return frame
    }

    /// Decodes one frame's payload.
    public static func decode(kind rawKind: UInt8, payload: ArraySlice<UInt8>) throws -> WorkerMessage {
        guard let kind = WorkerFrameKind(rawValue: rawKind) else {
            throw WorkerProtocolError(description: "unknown frame kind \(rawKind)")
        }
        var r = ByteReader(bytes: payload)
        let message: WorkerMessage
        switch kind {
        case .synthesize:
            let id = try r.u64()
            let voice = try r.string()
            let rate = Int(try r.i32())
            let pitch = Int(try r.i32())
            let volume = Int(try r.i32())
            let flags = try r.u32()
            let text = try r.string()
            let o = SynthesisOptions(
                rate: rate, pitch: pitch, volume: volume, ssml: flags & 1 != 0, phonemeInput: flags & 2 != 0)
            message = .synthesize(id: id, voice: voice, options: o, text: text)
        case .phonemes:
            message = .phonemes(id: try r.u64(), voice: try r.string(), ipa: try r.u32() != 0, text: try r.string())
        case .ready:
            message = .ready(sampleRate: Int(try r.u32()), pid: try r.i32())
        case .audio:
            message = .audio(id: try r.u64(), samples: try r.samples())
        case .marks:
            let id = try r.u64()
            let count = Int(try r.u32())
            guard count <= payload.count else { throw WorkerProtocolError(description: "bad mark count") }
            var marks = [EngineMark]()
            marks.reserveCapacity(count)
            for _ in 0..<count {
                guard let k = EngineMark.Kind(rawValue: try r.u8()) else {
                    throw WorkerProtocolError(description: "bad mark kind")
                }
                let pos = Int(try r.u32())
                let len = Int(try r.u32())
                let sample = Int(try r.u64())
                marks.append(EngineMark(kind: k, position: pos, length: len, sample: sample, name: try r.string()))
            }
            message = .marks(id: id, marks: marks)
        case .end:
            message = .end(id: try r.u64(), samples: Int(try r.u64()))
        case .failure:
            message = .failure(id: try r.u64(), message: try r.string())
        case .phonemesResult:
            message = .phonemesResult(id: try r.u64(), text: try r.string())
        case .diacritize:
            message = .diacritize(id: try r.u64(), text: try r.string())
        case .diacritized:
            let id = try r.u64()
            let count = Int(try r.u32())
            guard count <= payload.count else { throw WorkerProtocolError(description: "bad unit count") }
            var units: [String] = []
            units.reserveCapacity(count)
            for _ in 0..<count { units.append(try r.string()) }
            message = .diacritized(id: id, units: units)
        case .page:
            message = .page(id: try r.u64(), request: try r.string(), body: try r.raw())
        case .pageResult:
            message = .pageResult(id: try r.u64(), body: try r.raw())
        }
        guard r.atEnd else { throw WorkerProtocolError(description: "trailing bytes in \(kind) frame") }
        return message
    }
}

/// Splits a byte stream into frames.
public struct FrameDecoder {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Adds bytes read from the peer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil when more bytes are needed.
    public mutating func next() throws -> WorkerMessage? {
        let available = buffer.count - start
        guard available >= 5 else { return nil }
        let n =
            Int(buffer[start]) | Int(buffer[start + 1]) << 8 | Int(buffer[start + 2]) << 16 | Int(buffer[start + 3])
            << 24
        guard n <= WorkerMessage.maxPayload else { throw WorkerProtocolError(description: "frame of \(n) bytes") }
        guard available >= 5 + n else { return nil }
        let kind = buffer[start + 4]
        let payload = buffer[(start + 5)..<(start + 5 + n)]
        start += 5 + n
        let message = try WorkerMessage.decode(kind: kind, payload: payload)
        if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        return message
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
    mutating func raw(_ b: [UInt8]) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
    mutating func samples(_ s: [Int16]) {
        u32(UInt32(s.count))
        #if _endian(little)
            s.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
            s.map { $0.littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #endif
    }
}

struct ByteReader {
    let bytes: ArraySlice<UInt8>
    var index: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var atEnd: Bool { index == bytes.endIndex }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, bytes.endIndex - index >= n else { throw WorkerProtocolError(description: "short frame") }
        defer { index += n }
        return bytes[index..<(index + n)]
    }
    mutating func u8() throws -> UInt8 { try take(1).first! }
    mutating func u32() throws -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
    mutating func i32() throws -> Int32 { Int32(bitPattern: try u32()) }
    mutating func u64() throws -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    mutating func string() throws -> String {
        let n = Int(try u32())
        let raw = try take(n)
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw WorkerProtocolError(description: "invalid UTF-8 in frame")
        }
        return s
    }
    mutating func raw() throws -> [UInt8] {
        Array(try take(Int(try u32())))
    }
    mutating func samples() throws -> [Int16] {
        let n = Int(try u32())
        let raw = try take(n * 2)
        var out = [Int16](repeating: 0, count: n)
        out.withUnsafeMutableBytes { dst in raw.withUnsafeBytes { dst.copyMemory(from: $0) } }
        #if _endian(big)
            out = out.map { Int16(littleEndian: $0) }
        #endif
        return out
    }
}
