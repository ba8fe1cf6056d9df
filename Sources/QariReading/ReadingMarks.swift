/// A reading's marks and the length of its audio.
public struct ReadingMarks: Sendable, Codable, Equatable {
    public var durationMs: Int
    public var marks: [PageMark]

    enum CodingKeys: String, CodingKey {
        case durationMs = "duration_ms"
        case marks
    }
}
