/// A word, sentence or SSML mark on a page: which passage, where in its text, when.
public struct PageMark: Sendable, Codable, Equatable {
    public var type: String
    public var passage: Int
    /// Code-point offset in the passage's text.
    public var offset: Int
    public var length: Int
    public var timeMs: Int
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case type, passage, offset, length, name
        case timeMs = "time_ms"
    }
}
