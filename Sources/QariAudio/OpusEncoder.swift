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

    private var encoder: OpaquePointer?
    private var resampler: Resampler?
    private var pending: [Int16] = []
    private var pages = OggPages(serial: 0x5141_5249)
    private var headers: [UInt8]?
    /// Samples (at `opusRate`) given, and encoded; the granule position (48 kHz) of the last packet.
    private var given = 0
    private var encoded = 0
    private var granule: Int64
    private let preSkip: Int
    private var framesInPage = 0
    /// The bitrate after the opening, and how many input samples the opening has left.
    private let bitrate: Int32
    private var openingLeft: Int

    /// An encoder at `bitrate`; with `opening`, its first seconds at a higher bitrate.
    ///
    /// Why an opening: a browser's demuxer reads a streamed file in blocks of tens of kilobytes before it says
    /// what the audio is, and at 32 kbit/s a block is many seconds of speech that must be synthesized first. A
    /// richer opening fills the first block sooner, so a reading being made starts playing sooner.
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
        _ = qari_opus_set_complexity(encoder, Self.speechComplexity)
        if sampleRate != Self.opusRate { resampler = Resampler(from: sampleRate, to: Self.opusRate) }
        let lookahead = Int(qari_opus_lookahead(encoder))
        preSkip = lookahead * 48000 / Self.opusRate
        granule = 0
        headers = Self.headers(preSkip: preSkip, inputRate: sampleRate, pages: &pages)
    }

    deinit {
        if let encoder { opus_encoder_destroy(encoder) }
    }

    public func encode(_ samples: [Int16]) throws -> [UInt8] {
        guard encoder != nil else { throw AudioEncoderError(description: "Opus encoder already finished") }
        var out = headers ?? []
        headers = nil
        guard !samples.isEmpty else { return out }
        if openingLeft > 0 {
            openingLeft -= samples.count
            if openingLeft <= 0, let encoder { _ = qari_opus_set_bitrate(encoder, bitrate) }
        }
        let converted = resampler?.process(samples) ?? samples
        given += converted.count
        pending += converted
        out += try encodeFrames(end: nil)
        return out
    }

    public func finish() throws -> [UInt8] {
        guard let encoder else { return [] }
        var out = headers ?? []
        headers = nil
        if let tail = resampler?.finish() {
            given += tail.count
            pending += tail
        }
        // The encoder's lookahead holds the last samples back: silence pushes them out.
        let lookahead = preSkip * Self.opusRate / 48000
        let needed = given + lookahead - encoded
        let frames = (needed + Self.frameSamples - 1) / Self.frameSamples
        pending += [Int16](repeating: 0, count: max(0, frames * Self.frameSamples - pending.count))
        // The last page's granule position trims the padding (RFC 7845, 4.4).
        out += try encodeFrames(end: Int64(preSkip) + Int64(given) * Int64(48000 / Self.opusRate))
        opus_encoder_destroy(encoder)
        self.encoder = nil
        return out
    }

    /// Encodes the whole frames pending; pages every `framesPerPage`, and the last page at `end`.
    private func encodeFrames(end: Int64?) throws -> [UInt8] {
        guard let encoder else { return [] }
        var out: [UInt8] = []
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
            guard n > 0 else {
                throw AudioEncoderError(description: "Opus: \(String(cString: opus_strerror(n)))")
            }
            start += Self.frameSamples
            encoded += Self.frameSamples
            granule += Int64(Self.frameSamples * 48000 / Self.opusRate)
            let isLast = end != nil && pending.count - start < Self.frameSamples
            pages.add(Array(packet[..<Int(n)]), granule: isLast ? min(granule, end!) : granule)
            framesInPage += 1
            if framesInPage == Self.framesPerPage || isLast {
                out += pages.flush(last: isLast)
                framesInPage = 0
            }
        }
        pending.removeFirst(start)
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
