/// The reading plan of a page.
public struct PlanDocument: Sendable, Encodable {
    public var lang: String
    public var title: String
    public var durationMs: Int
    public var passages: [PlanPassage]
    public var marks: [PageMark]

    enum CodingKeys: String, CodingKey {
        case lang, title, passages, marks
        case durationMs = "duration_ms"
    }
}
