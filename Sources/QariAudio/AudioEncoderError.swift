/// An encoder failed.
public struct AudioEncoderError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
