import QariPage
import QariText

/// A form field as the API gives it, in a reading and from `POST /v1/fields`: what it is, what it asks, what is
/// said of it and by which voice, where it is; never its value.
public struct PlanField: Sendable, Encodable, Equatable {
    public var index: Int
    public var lang: String
    public var voice: String
    public var kind: FieldKind
    public var label: String
    public var required: Bool
    public var hint: String?
    public var error: String?
    public var options: [FieldOption]?
    public var checked: Bool?
    public var legend: String?
    public var text: String
    public var locator: TextLocator
    public var labelLocator: TextLocator?

    enum CodingKeys: String, CodingKey {
        case index, lang, voice, kind, label, required, hint, error, options, checked, legend, text, locator
        case labelLocator = "label_locator"
    }

    /// Field `index` of a page, said by `voice`.
    public init(index: Int, field: FormField, voice: Voice) {
        self.index = index
        lang = field.lang
        self.voice = voice.id
        kind = field.kind
        label = field.label
        required = field.required
        hint = field.hint
        error = field.error
        options = field.options
        checked = field.checked
        legend = field.legend
        text = field.text
        locator = field.locator
        labelLocator = field.labelLocator
    }

    /// Fields with the voice of their language (`overrides` maps a language to a voice id, `zgh` → `shi`), else
    /// the page's.
    public static func items(_ fields: [FormField], pageLang: String, overrides: [String: String] = [:]) -> [PlanField]
    {
        let voices = PagePlan.voices(for: fields.map(\.lang), pageLang: pageLang, overrides: overrides)
        return fields.indices.map { PlanField(index: $0, field: fields[$0], voice: voices[$0]) }
    }
}
