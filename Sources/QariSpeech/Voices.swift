/// A voice Qari speaks with.
public struct Voice: Sendable, Encodable, Equatable {
    /// The id callers name (`ar`, `fr`, …).
    public var id: String
    /// BCP 47 language tag.
    public var language: String
    /// A human-readable name.
    public var name: String
    /// ISO 15924 script the voice reads.
    public var script: String
    /// The eSpeak NG voice that speaks it.
    public var espeakVoice: String

    public init(id: String, language: String, name: String, script: String, espeakVoice: String) {
        self.id = id
        self.language = language
        self.name = name
        self.script = script
        self.espeakVoice = espeakVoice
    }

    enum CodingKeys: String, CodingKey { case id, language, name, script }
}

/// The voices this build of Qari offers.
public enum VoiceCatalog {
    public static let all: [Voice] = [
        Voice(id: "ar", language: "ar", name: "Arabic", script: "Arab", espeakVoice: "ar"),
        Voice(id: "fr", language: "fr", name: "French", script: "Latn", espeakVoice: "fr"),
    ]

    /// The voice with this id or language tag (case-insensitive; `fr-MA` finds `fr`), if any.
    public static func voice(named name: String) -> Voice? {
        let key = name.lowercased()
        if let v = all.first(where: { $0.id == key }) { return v }
        let primary = key.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? key
        return all.first { $0.language == primary }
    }

    /// The ids, for error messages.
    public static var ids: [String] { all.map(\.id) }
}
