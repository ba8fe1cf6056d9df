import COpusEnc

/// Ogg Opus through libopusenc, which resamples eSpeak's rate to Opus's 48 kHz.
public final class OpusEncoder: AudioEncoder {
    private var encoder: OpaquePointer?
    private var comments: OpaquePointer?
    private let sink = Sink()
    /// The bitrate after the opening, and how many samples the opening has left.
    private let bitrate: Int32
    private var openingLeft: Int

    final class Sink {
        var bytes: [UInt8] = []
    }

    /// libopus's complexity for speech: 5, chosen by `bench/opus` on a page of Qari's speech at 32 kbit/s: 38% less
    /// CPU than the default 10, the same residual against the WAV (-9.6 dB) and loudness and band energies within
    /// 0.1 dB of it; 3 and below cost little less and keep a little less.
    public static let speechComplexity = 5

    /// An encoder at `bitrate`; with `opening`, its first seconds at a higher bitrate.
    ///
    /// Why an opening: a browser's demuxer reads a streamed file in blocks of tens of kilobytes before it says
    /// what the audio is, and at 32 kbit/s a block is many seconds of speech that must be synthesized first. A
    /// richer opening fills the first block sooner, so a reading being made starts playing sooner.
    public init(sampleRate: Int, bitrate: Int = 32000, opening: (seconds: Double, bitrate: Int)? = nil) throws {
        self.bitrate = Int32(bitrate)
        self.openingLeft = opening.map { Int($0.seconds * Double(sampleRate)) } ?? 0
        guard let comments = ope_comments_create() else { throw AudioEncoderError(description: "Opus: no memory") }
        self.comments = comments
        ope_comments_add(comments, "ENCODER", "Qari")
        var callbacks = OpusEncCallbacks(
            write: { userData, pointer, length in
                let sink = Unmanaged<Sink>.fromOpaque(userData!).takeUnretainedValue()
                if let pointer, length > 0 {
                    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: Int(length)))
                }
                return 0
            },
            close: { _ in 0 })
        var error: Int32 = 0
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard
            let encoder = ope_encoder_create_callbacks(
                &callbacks, context, comments, Int32(sampleRate), 1, 0, &error)
        else {
            ope_comments_destroy(comments)
            self.comments = nil
            throw AudioEncoderError(description: "Opus encoder: \(String(cString: ope_strerror(error)))")
        }
        self.encoder = encoder
        _ = qari_ope_set_bitrate(encoder, Int32(opening?.bitrate ?? bitrate))
        _ = qari_ope_set_signal_voice(encoder)
        _ = qari_ope_set_complexity(encoder, Int32(Self.speechComplexity))
        // By default libopusenc holds 2 s of audio before encoding and 1 s before writing a page; a stream should
        // start playing at once, so both are cut to 100 ms.
        _ = qari_ope_set_decision_delay(encoder, 4800)
        _ = qari_ope_set_muxing_delay(encoder, 4800)
    }

    deinit {
        if let encoder { ope_encoder_destroy(encoder) }
        if let comments { ope_comments_destroy(comments) }
    }

    public func encode(_ samples: [Int16]) throws -> [UInt8] {
        guard let encoder else { throw AudioEncoderError(description: "Opus encoder already finished") }
        if !samples.isEmpty {
            let rc = samples.withUnsafeBufferPointer { ope_encoder_write(encoder, $0.baseAddress, Int32($0.count)) }
            guard rc == OPE_OK else {
                throw AudioEncoderError(description: "Opus: \(String(cString: ope_strerror(rc)))")
            }
            if openingLeft > 0 {
                openingLeft -= samples.count
                if openingLeft <= 0 { _ = qari_ope_set_bitrate(encoder, bitrate) }
            }
        }
        return take()
    }

    public func finish() throws -> [UInt8] {
        guard let encoder else { return [] }
        let rc = ope_encoder_drain(encoder)
        guard rc == OPE_OK else { throw AudioEncoderError(description: "Opus: \(String(cString: ope_strerror(rc)))") }
        ope_encoder_destroy(encoder)
        self.encoder = nil
        return take()
    }

    private func take() -> [UInt8] {
        defer { sink.bytes.removeAll(keepingCapacity: true) }
        return sink.bytes
    }
}
