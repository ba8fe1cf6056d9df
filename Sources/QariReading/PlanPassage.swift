import QariPage

/// A passage as the API gives it, in a plan and in a reading: its place, language, voice, text and locator.
public struct PlanPassage: Sendable, Encodable, Equatable {
    public var index: Int
    public var lang: String
    public var voice: String
    public var text: String
    public var locator: [TextLocator]
}
