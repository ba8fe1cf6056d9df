/// Why a reading's marks could not be given.
public struct MarksUnavailable: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the reading ended without its marks; retry" }
}
