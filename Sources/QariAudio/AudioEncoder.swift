/// Encodes 16-bit mono PCM chunk by chunk.
public protocol AudioEncoder {
    /// Encodes `samples`, returning what is ready to send.
    mutating func encode(_ samples: [Int16]) throws -> [UInt8]
    /// Flushes the encoder at the end of the audio.
    mutating func finish() throws -> [UInt8]
}
