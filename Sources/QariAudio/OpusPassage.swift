import COpus

/// One passage's speech as Opus packets, encoded from a fresh encoder, so it can be stored and reused in any reading.
///
/// Why fresh: a reading assembled from stored passages must be the same, byte for byte, as one made at once, so no
/// encoder state may cross a passage's edges. Each passage is padded to whole 20 ms frames (with the encoder's
/// lookahead pushed out), so a passage starts on the frame grid wherever it is placed.
public struct OpusPassage: Sendable, Equatable {
    /// 20 ms packets, in order.
    public var packets: [[UInt8]]
    /// Samples at 48 kHz the passage's speech lasts (its frames hold a little silence beyond).
    public var samples48k: Int

    public init(packets: [[UInt8]], samples48k: Int) {
        self.packets = packets
        self.samples48k = samples48k
    }

    /// Samples at 48 kHz its frames last: where the next passage starts.
    public var frames48k: Int { packets.count * OpusPassageEncoder.frame48k }

    /// The stored form: a version byte, the samples, the packet count, then each packet's length and bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = [1]
        withUnsafeBytes(of: UInt32(samples48k).littleEndian) { out += $0 }
        withUnsafeBytes(of: UInt32(packets.count).littleEndian) { out += $0 }
        for p in packets {
            withUnsafeBytes(of: UInt16(p.count).littleEndian) { out += $0 }
            out += p
        }
        return out
    }

    /// A stored passage, or nil when the bytes are not one.
    public init?(bytes: [UInt8]) {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        guard bytes.count >= 9, bytes[0] == 1 else { return nil }
        samples48k = u32(1)
        let count = u32(5)
        var at = 9
        packets = []
        packets.reserveCapacity(count)
        for _ in 0..<count {
            guard at + 2 <= bytes.count else { return nil }
            let n = Int(bytes[at]) | Int(bytes[at + 1]) << 8
            at += 2
            guard n > 0, at + n <= bytes.count else { return nil }
            packets.append(Array(bytes[at..<(at + n)]))
            at += n
        }
        guard at == bytes.count, samples48k <= frames48k else { return nil }
    }
}

/// Encodes one passage's speech into an `OpusPassage`: as the speech comes (packets to stream at once), then the
/// rest at `finish`.
public final class OpusPassageEncoder {
    static let opusRate = OpusEncoder.opusRate
    static let frameSamples = OpusEncoder.frameSamples
    static let frame48k = frameSamples * 48000 / opusRate
    /// The encoder's lookahead at 24 kHz (the same for every encoder made alike): the stream's pre-skip.
    public static let lookahead: Int = {
        var error: Int32 = 0
        guard let e = opus_encoder_create(Int32(opusRate), 1, OPUS_APPLICATION_RESTRICTED_LOWDELAY, &error) else {
            return 0
        }
        defer { opus_encoder_destroy(e) }
        return Int(qari_opus_lookahead(e))
    }()

    private var encoder: OpaquePointer?
    private var resampler: Resampler?
    private var pending: [Int16] = []
    private var given = 0
    private var made: [[UInt8]] = []
    private let bitrate: Int32
    private var openingLeft: Int

    /// An encoder for speech at `sampleRate`; with `opening`, its first seconds at a higher bitrate (a reading's
    /// first passage, so a browser's first read of the stream fills sooner: see `OpusEncoder`).
    public init(sampleRate: Int, bitrate: Int = 32000, opening: (seconds: Double, bitrate: Int)? = nil) throws {
        self.bitrate = Int32(bitrate)
        openingLeft = opening.map { Int($0.seconds * Double(sampleRate)) } ?? 0
        var error: Int32 = 0
        guard
            let encoder = opus_encoder_create(
                Int32(Self.opusRate), 1, OPUS_APPLICATION_RESTRICTED_LOWDELAY, &error), error == OPUS_OK
        else {
            throw AudioEncoderError(description: "Opus encoder: \(String(cString: opus_strerror(error)))")
        }
        self.encoder = encoder
        _ = qari_opus_set_bitrate(encoder, Int32(opening?.bitrate ?? bitrate))
        _ = qari_opus_set_signal_voice(encoder)
        _ = qari_opus_set_complexity(encoder, OpusEncoder.speechComplexity)
        if sampleRate != Self.opusRate { resampler = Resampler(from: sampleRate, to: Self.opusRate) }
    }

    deinit {
        if let encoder { opus_encoder_destroy(encoder) }
    }

    /// The packets `samples` complete.
    public func encode(_ samples: [Int16]) throws -> [[UInt8]] {
        guard !samples.isEmpty else { return [] }
        if openingLeft > 0 {
            openingLeft -= samples.count
            if openingLeft <= 0, let encoder { _ = qari_opus_set_bitrate(encoder, bitrate) }
        }
        let converted = resampler?.process(samples) ?? samples
        given += converted.count
        pending += converted
        return try frames()
    }

    /// The last packets (the lookahead pushed out with silence, to a whole frame), and the whole passage.
    public func finish() throws -> (packets: [[UInt8]], passage: OpusPassage) {
        if let tail = resampler?.finish() {
            given += tail.count
            pending += tail
        }
        let encoded = made.count * Self.frameSamples
        let needed = given + Self.lookahead - encoded
        let frames = (needed + Self.frameSamples - 1) / Self.frameSamples
        pending += [Int16](repeating: 0, count: max(0, frames * Self.frameSamples - pending.count))
        let last = try self.frames()
        if let encoder { opus_encoder_destroy(encoder) }
        encoder = nil
        return (last, OpusPassage(packets: made, samples48k: given * 48000 / Self.opusRate))
    }

    private func frames() throws -> [[UInt8]] {
        guard let encoder else { throw AudioEncoderError(description: "Opus encoder already finished") }
        var out: [[UInt8]] = []
        var packet = [UInt8](repeating: 0, count: 1500)
        var start = 0
        while pending.count - start >= Self.frameSamples {
            let n = pending.withUnsafeBufferPointer { pcm in
                packet.withUnsafeMutableBufferPointer { buffer in
                    opus_encode(
                        encoder, pcm.baseAddress! + start, Int32(Self.frameSamples), buffer.baseAddress!,
                        Int32(buffer.count))
                }
            }
            guard n > 0 else { throw AudioEncoderError(description: "Opus: \(String(cString: opus_strerror(n)))") }
            start += Self.frameSamples
            out.append(Array(packet[..<Int(n)]))
        }
        pending.removeFirst(start)
        made += out
        return out
    }
}

/// A reading's Ogg Opus stream (RFC 7845) assembled from passages' packets: headers, then pages of five packets as
/// they come, the last one ending where the last passage's speech ends.
public struct OggOpusAssembler: Sendable {
    private var pages = OggPages(serial: 0x5141_5249)
    private var held: [UInt8]?
    private var inPage = 0
    /// The 48 kHz granule position after the packets given (the held one included).
    public private(set) var granule: Int64 = 0
    let preSkip = OpusPassageEncoder.lookahead * 48000 / OpusPassageEncoder.opusRate

    public init() {}

    /// The identification and comment headers, each on its own page.
    public mutating func headers(inputRate: Int) -> [UInt8] {
        OpusEncoder.headers(preSkip: preSkip, inputRate: inputRate, pages: &pages)
    }

    /// Pages for `packets`; the newest packet is held back, so the stream's last page can be marked as the end.
    public mutating func add(_ packets: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for packet in packets {
            if let previous = held {
                pages.add(previous, granule: granule)
                inPage += 1
                if inPage == OpusEncoder.framesPerPage {
                    out += pages.flush()
                    inPage = 0
                }
            }
            held = packet
            granule += Int64(OpusPassageEncoder.frame48k)
        }
        return out
    }

    /// The last page, its granule position `end` (48 kHz, from the stream's start, before the pre-skip): the
    /// padding after the speech is trimmed (RFC 7845, 4.4).
    public mutating func finish(speechEnd end: Int64) -> [UInt8] {
        guard let last = held else { return pages.isEmpty ? [] : pages.flush(last: true) }
        held = nil
        pages.add(last, granule: min(granule, end + Int64(preSkip)))
        return pages.flush(last: true)
    }
}
