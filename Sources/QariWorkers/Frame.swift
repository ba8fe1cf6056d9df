/// A table of frame kinds: one per kind of worker, each kind's number written once. Numbers are unique across all
/// tables (a test checks it, the Python diacritizer's included), so a frame sent to the wrong worker is refused,
/// never misread.
public protocol FrameKindTable: CaseIterable, RawRepresentable, Sendable where RawValue == UInt8 {}

/// The pool's own frame kinds, which every worker speaks.
public enum PoolFrameKind: UInt8, FrameKindTable {
    case ready = 10
    case failure = 14
}

/// One frame of the worker protocol: a kind byte and opaque bytes.
///
/// On the wire a frame is a 4-byte little-endian payload length, the kind, then the payload. Every frame but
/// `ready` starts its payload with the request's id (u64), so the pool can route answers without knowing what
/// they mean; the modules that run workers (speech, diacritizer, pages) give the kinds and bodies their meaning.
public struct Frame: Sendable, Equatable {
    /// What the frame is; `ready` and `failure` are the pool's own, the rest belong to each kind of worker.
    public var kind: UInt8
    /// The request the frame belongs to (0 for `ready`).
    public var id: UInt64
    /// The kind's own bytes, after the id.
    public var body: [UInt8]

    public init(kind: UInt8, id: UInt64, body: [UInt8]) {
        self.kind = kind
        self.id = id
        self.body = body
    }

    /// Sent once by a worker when it can take requests: `u32 info · i32 pid` (info: e.g. a sample rate).
    public static let readyKind = PoolFrameKind.ready.rawValue
    /// A worker could not serve a request: the body is a UTF-8 message. It ends the request's answer.
    public static let failureKind = PoolFrameKind.failure.rawValue
    /// The largest payload either side accepts (a 100,000-character text is at most 400 KB of UTF-8).
    public static let maxPayload = 64 << 20

    /// The `ready` frame.
    public static func ready(info: UInt32, pid: Int32) -> [UInt8] {
        var w = ByteWriter()
        w.u32(info)
        w.i32(pid)
        return encode(kind: readyKind, payload: w.bytes)
    }

    /// A `failure` frame for request `id`.
    public static func failure(id: UInt64, message: String) -> Frame {
        var w = ByteWriter()
        w.string(message)
        return Frame(kind: failureKind, id: id, body: w.bytes)
    }

    /// The frame's bytes on the wire.
    public func encoded() -> [UInt8] {
        var payload = [UInt8]()
        payload.reserveCapacity(8 + body.count)
        withUnsafeBytes(of: id.littleEndian) { payload.append(contentsOf: $0) }
        payload.append(contentsOf: body)
        return Self.encode(kind: kind, payload: payload)
    }

    static func encode(kind: UInt8, payload: [UInt8]) -> [UInt8] {
        var frame = [UInt8]()
        frame.reserveCapacity(5 + payload.count)
        let n = UInt32(payload.count)
        frame.append(contentsOf: [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)])
        frame.append(kind)
        frame.append(contentsOf: payload)
        return frame
    }

    /// The message of a `failure` frame.
    public func failureMessage() throws(FrameError) -> String {
        var r = ByteReader(body)
        let message = try r.string()
        try r.end(kind)
        return message
    }
}

/// What a peer sent that is not a frame of ours: the peer is broken or not a Qari worker.
public struct FrameError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What the byte stream from a peer holds: requests and answers, or a worker saying it is ready.
public enum Incoming: Sendable, Equatable {
    case ready(info: UInt32, pid: Int32)
    case frame(Frame)
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

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() throws(FrameError) -> Incoming? {
        let available = buffer.count - start
        guard available >= 5 else { return nil }
        let n =
            Int(buffer[start]) | Int(buffer[start + 1]) << 8 | Int(buffer[start + 2]) << 16 | Int(buffer[start + 3])
            << 24
        guard n <= Frame.maxPayload else { throw FrameError("frame of \(n) bytes") }
        guard available >= 5 + n else { return nil }
        let kind = buffer[start + 4]
        var r = ByteReader(buffer[(start + 5)..<(start + 5 + n)])
        start += 5 + n
        defer {
            if start > 1 << 20 {
                buffer.removeFirst(start)
                start = 0
            }
        }
        if kind == Frame.readyKind {
            let info = try r.u32()
            let pid = try r.i32()
            try r.end(kind)
            return .ready(info: info, pid: pid)
        }
        let id = try r.u64()
        return .frame(Frame(kind: kind, id: id, body: r.rest()))
    }
}

/// Builds a frame body: little-endian integers, strings as a u32 length and UTF-8 bytes.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    public mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    /// A length and the bytes.
    public mutating func raw(_ b: [UInt8]) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
    /// A count and 16-bit samples.
    public mutating func samples(_ s: [Int16]) {
        u32(UInt32(s.count))
        #if _endian(little)
            s.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
            s.map { $0.littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #endif
    }
}

/// Reads a frame body written by `ByteWriter`; every read checks that the bytes are there.
public struct ByteReader {
    let bytes: ArraySlice<UInt8>
    var index: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    public var atEnd: Bool { index == bytes.endIndex }

    /// Throws unless every byte was read.
    public func end(_ kind: UInt8) throws(FrameError) {
        guard atEnd else { throw FrameError("trailing bytes in a frame of kind \(kind)") }
    }

    private mutating func take(_ n: Int) throws(FrameError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.endIndex - index >= n else { throw FrameError("short frame") }
        defer { index += n }
        return bytes[index..<(index + n)]
    }
    /// What is left, as it is.
    public mutating func rest() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[index...])
    }
    public mutating func u8() throws(FrameError) -> UInt8 { try take(1).first! }
    public mutating func u32() throws(FrameError) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
    public mutating func i32() throws(FrameError) -> Int32 { Int32(bitPattern: try u32()) }
    public mutating func u64() throws(FrameError) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    public mutating func string() throws(FrameError) -> String {
        let n = Int(try u32())
        let raw = try take(n)
        guard let s = String(validating: raw, as: UTF8.self) else { throw FrameError("invalid UTF-8 in frame") }
        return s
    }
    public mutating func raw() throws(FrameError) -> [UInt8] {
        Array(try take(Int(try u32())))
    }
    /// A count that cannot exceed the bytes left (each item takes at least one byte).
    public mutating func count() throws(FrameError) -> Int {
        let n = Int(try u32())
        guard n <= bytes.endIndex - index else { throw FrameError("bad count \(n)") }
        return n
    }
    public mutating func samples() throws(FrameError) -> [Int16] {
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
