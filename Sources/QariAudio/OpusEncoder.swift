import COpus

/// Ogg Opus (RFC 7845) through libopus: speech at 24 kHz in CELT frames of 20 ms, a page every 100 ms.
///
/// Why not libopusenc: it resamples everything to 48 kHz and runs Opus's speech analysis, which made a reading cost
/// many times the synthesis. `bench/opus` measured the choices on a page of Qari's speech at 32 kbit/s; this one
/// costs a tenth of libopusenc at complexity 5 and keeps loudness and band energies within a fraction of a dB.
public final class OpusEncoder: AudioEncoder {
    /// libopus's complexity for speech, chosen by `bench/opus` (see `docs/design.md`).
    public static let speechComplexity: Int32 = 0
    /// Opus's own rate for eSpeak's 22,050 Hz: every frequency eSpeak makes, and a cheap ratio (160/147).
    static let opusRate = 24000
    /// 20 ms.
    static let frameSamples = opusRate / 50
    /// Frames per Ogg page: a stream's listener gets audio every 100 ms.
    static let framesPerPage = 5

    /// The speech as one passage, and its packets as an Ogg stream.
    private let passage: OpusPassageEncoder
    private var stream = OggOpusAssembler()
    private var headers: [UInt8]?
    private var finished = false

    /// An encoder at `bitrate`; with `opening`, its first seconds at a higher bitrate.
    ///
    /// Why an opening: a browser's demuxer reads a streamed file in blocks of tens of kilobytes before it says
    /// what the audio is, and at 32 kbit/s a block is many seconds of speech that must be synthesized first. A
    /// richer opening fills the first block sooner, so a reading being made starts playing sooner.
    public init(sampleRate: Int, bitrate: Int = 32000, opening: (seconds: Double, bitrate: Int)? = nil) throws {
        passage = try OpusPassageEncoder(sampleRate: sampleRate, bitrate: bitrate, opening: opening)
        headers = stream.headers(inputRate: sampleRate)
    }

    public func encode(_ samples: [Int16]) throws -> [UInt8] {
        guard !finished else { throw AudioEncoderError(description: "Opus encoder already finished") }
        var out = headers ?? []
        headers = nil
        out += stream.add(try passage.encode(samples))
        return out
    }

    public func finish() throws -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        var out = headers ?? []
        headers = nil
        let (last, whole) = try passage.finish()
        out += stream.add(last)
        // The last page's granule position trims the padding (RFC 7845, 4.4).
        out += stream.finish(speechEnd: Int64(whole.samples48k))
        return out
    }

    /// The identification and comment headers (RFC 7845, 5), each on its own page.
    static func headers(preSkip: Int, inputRate: Int, pages: inout OggPages) -> [UInt8] {
        var head: [UInt8] = Array("OpusHead".utf8) + [1, 1]
        withUnsafeBytes(of: UInt16(preSkip).littleEndian) { head += $0 }
        withUnsafeBytes(of: UInt32(inputRate).littleEndian) { head += $0 }
        head += [0, 0, 0]  // output gain 0 dB, mapping family 0
        let vendor = Array(String(cString: opus_get_version_string()).utf8)
        let comment = Array("ENCODER=Qari".utf8)
        var tags: [UInt8] = Array("OpusTags".utf8)
        withUnsafeBytes(of: UInt32(vendor.count).littleEndian) { tags += $0 }
        tags += vendor
        withUnsafeBytes(of: UInt32(1).littleEndian) { tags += $0 }
        withUnsafeBytes(of: UInt32(comment.count).littleEndian) { tags += $0 }
        tags += comment
        pages.add(head, granule: 0)
        var out = pages.flush()
        pages.add(tags, granule: 0)
        out += pages.flush()
        return out
    }
}
