/// RIFF WAVE, 16-bit PCM mono.
///
/// A stream cannot know its length up front, so the header says "unknown" (0xFFFFFFFF), which players read to the
/// end; a file writer can patch in the real sizes with `header(sampleRate:dataBytes:)`.
public struct WAVEncoder: AudioEncoder {
    public let sampleRate: Int
    private var headerSent = false

    public init(sampleRate: Int) {
        self.sampleRate = sampleRate
    }

    public mutating func encode(_ samples: [Int16]) -> [UInt8] {
        var out: [UInt8] = []
        if !headerSent {
            headerSent = true
            out = Self.header(sampleRate: sampleRate, dataBytes: nil)
        }
        out.reserveCapacity(out.count + samples.count * 2)
        #if _endian(little)
            samples.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
            samples.map { $0.littleEndian }.withUnsafeBytes { out.append(contentsOf: $0) }
        #endif
        return out
    }

    public mutating func finish() -> [UInt8] {
        headerSent ? [] : encode([])
    }

    /// The 44-byte header; `dataBytes` nil writes the streaming sizes.
    public static func header(sampleRate: Int, dataBytes: Int?) -> [UInt8] {
        let data = dataBytes.map { UInt32(clamping: $0) } ?? 0xFFFF_FFFF
        let riff = dataBytes.map { UInt32(clamping: $0 + 36) } ?? 0xFFFF_FFFF
        var bytes = Array("RIFF".utf8) + littleEndian(riff) + Array("WAVEfmt ".utf8) + littleEndian(16)
        bytes += [1, 0, 1, 0]  // PCM, mono
        bytes += littleEndian(UInt32(sampleRate)) + littleEndian(UInt32(sampleRate * 2))
        bytes += [2, 0, 16, 0]  // block align, bits per sample
        return bytes + Array("data".utf8) + littleEndian(data)
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
