import CLame

/// MPEG-1/2 Layer III through libmp3lame, mono at eSpeak's rate.
public final class MP3Encoder: AudioEncoder {
    private var lame: OpaquePointer?
    private var buffer: [UInt8] = []

    public init(sampleRate: Int, kbps: Int = 48) throws {
        guard let lame = lame_init() else { throw AudioEncoderError(description: "MP3: no memory") }
        lame_set_in_samplerate(lame, Int32(sampleRate))
        lame_set_out_samplerate(lame, Int32(sampleRate))
        lame_set_num_channels(lame, 1)
        lame_set_mode(lame, MONO)
        lame_set_brate(lame, Int32(kbps))
        lame_set_quality(lame, 5)
        guard lame_init_params(lame) >= 0 else {
            lame_close(lame)
            throw AudioEncoderError(description: "MP3 encoder refused \(sampleRate) Hz mono at \(kbps) kbps")
        }
        self.lame = lame
    }

    deinit {
        if let lame { lame_close(lame) }
    }

    public func encode(_ samples: [Int16]) throws -> [UInt8] {
        guard let lame else { throw AudioEncoderError(description: "MP3 encoder already finished") }
        guard !samples.isEmpty else { return [] }
        let capacity = samples.count * 5 / 4 + 7200
        if buffer.count < capacity { buffer = [UInt8](repeating: 0, count: capacity) }
        let n = samples.withUnsafeBufferPointer { pcm in
            buffer.withUnsafeMutableBufferPointer { out in
                lame_encode_buffer(
                    lame, pcm.baseAddress, pcm.baseAddress, Int32(pcm.count), out.baseAddress, Int32(out.count))
            }
        }
        guard n >= 0 else { throw AudioEncoderError(description: "MP3 encoding failed (\(n))") }
        return Array(buffer[0..<Int(n)])
    }

    public func finish() throws -> [UInt8] {
        guard let lame else { return [] }
        if buffer.count < 7200 { buffer = [UInt8](repeating: 0, count: 7200) }
        let n = buffer.withUnsafeMutableBufferPointer { lame_encode_flush(lame, $0.baseAddress, Int32($0.count)) }
        lame_close(lame)
        self.lame = nil
        guard n >= 0 else { throw AudioEncoderError(description: "MP3 flush failed (\(n))") }
        return Array(buffer[0..<Int(n)])
    }
}
