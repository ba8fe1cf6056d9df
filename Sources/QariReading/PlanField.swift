import QariPage
import QariText

/// A form field as the API gives it, in a reading and from `POST /v1/fields`: what it is, what it asks, what is
/// said of it and by which voice, where it is; never its value.
@dynamicMemberLookup
public struct PlanField: Sendable, Encodable, Equatable {
    public var index: Int
    public var voice: String
    /// What the page says of the control (encoded beside `index` and `voice`, as one object).
    public var field: FormField

    enum CodingKeys: String, CodingKey { case index, voice }

    /// Field `index` of a page, said by `voice`.
    public init(index: Int, field: FormField, voice: Voice) {
        self.index = index
        self.voice = voice.id
        self.field = field
    }

    public subscript<T>(dynamicMember path: KeyPath<FormField, T>) -> T { field[keyPath: path] }

    public func encode(to encoder: any Encoder) throws {
        try field.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(voice, forKey: .voice)
    }

    /// Fields with the voice of their language (`overrides` maps a language to a voice id, `zgh` → `shi`), else
    /// the page's.
    public static func items(_ fields: [FormField], pageLang: String, overrides: [String: String] = [:]) -> [PlanField]
    {
        let voices = PagePlan.voices(for: fields.map(\.lang), pageLang: pageLang, overrides: overrides)
        return fields.indices.map { PlanField(index: $0, field: fields[$0], voice: voices[$0]) }
    }
}
