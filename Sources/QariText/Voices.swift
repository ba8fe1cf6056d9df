/// A voice Qari speaks with.
public struct Voice: Sendable, Encodable, Equatable {
    /// The id callers name (`ar`, `fr`, `zgh`, …).
    public var id: String
    /// BCP 47 language tag.
    public var language: String
    /// A human-readable name.
    public var name: String
    /// ISO 15924 scripts the voice reads, the usual one first.
    public var scripts: [String]
    /// The eSpeak NG voice that speaks it.
    public var espeakVoice: String

    public init(id: String, language: String, name: String, scripts: [String], espeakVoice: String) {
        self.id = id
        self.language = language
        self.name = name
        self.scripts = scripts
        self.espeakVoice = espeakVoice
    }

    /// The usual script.
    public var script: String { scripts.first ?? "Latn" }

    /// The Amazigh variety this voice speaks, if it is an Amazigh voice.
    public var amazighVariety: AmazighVariety? { AmazighVariety(rawValue: id) }

    enum CodingKeys: String, CodingKey { case id, language, name, script, scripts }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(language, forKey: .language)
        try c.encode(name, forKey: .name)
        try c.encode(script, forKey: .script)
        try c.encode(scripts, forKey: .scripts)
    }
}

/// The voices this build of Qari offers.
public enum VoiceCatalog {
    public static let all: [Voice] =
        [
            Voice(id: "ar", language: "ar", name: "Arabic", scripts: ["Arab"], espeakVoice: "ar"),
            Voice(id: "fr", language: "fr", name: "French", scripts: ["Latn"], espeakVoice: "fr"),
            // English passages occur on portal pages (names of programmes, quotations).
            Voice(id: "en", language: "en", name: "English", scripts: ["Latn"], espeakVoice: "en"),
        ]
        + AmazighVariety.allCases.map {
            Voice(
                id: $0.rawValue, language: $0.rawValue, name: $0.name, scripts: ["Tfng", "Latn"],
                espeakVoice: $0.rawValue)
        }

    /// The voice with this id or language tag (case-insensitive; `fr-MA` finds `fr`, `ber` finds `zgh`), if any.
    public static func voice(named name: String) -> Voice? {
        let key = name.lowercased()
        if let v = all.first(where: { $0.id == key }) { return v }
        let id = Languages.primary(key)
        return all.first { $0.language == id }
    }

    /// The ids, for error messages.
    public static var ids: [String] { all.map(\.id) }
}
