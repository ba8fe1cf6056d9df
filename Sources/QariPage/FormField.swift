import QariText

/// One choice of a list or a group of radio buttons, and whether the page has it chosen.
public struct FieldOption: Sendable, Equatable, Codable {
    /// Its text (an option's `label` or content, a radio button's name).
    public var label: String
    /// Chosen by the page (`selected`, `checked`).
    public var chosen: Bool
    /// The element (`<option>`, or the radio button): a locator with its path only.
    public var locator: TextLocator
}

/// What a listener needs to fill in one control of a form: never what is typed in it.
///
/// Made from the markup's labels, kinds, hints, errors and options only: no `value` of a text field, no
/// `<textarea>` content, no password, ever (a reading of a public page is cached and shared).
public struct FormField: Sendable, Equatable, Codable {
    /// The language of the field's words (its nearest `lang`, else the page's).
    public var lang: String
    /// What kind of control it is.
    public var kind: FieldKind
    /// Its accessible name (HTML-AAM order), "" when it has none.
    public var label: String
    /// `required`, or `aria-required="true"`.
    public var required: Bool
    /// The `aria-describedby` texts.
    public var hint: String?
    /// The `aria-errormessage` text, when `aria-invalid` says the value is wrong.
    public var error: String?
    /// A list's or a group's choices, in order.
    public var options: [FieldOption]?
    /// A checkbox: whether the page has it checked.
    public var checked: Bool?
    /// The legend of the fieldset this field opens (given on a group's first field only).
    public var legend: String?
    /// What is said: legend, label, kind, required, hint, error, options, as one text.
    public var text: String
    /// The control: the element's path, the whole `text` (offset 0, its length).
    public var locator: TextLocator
    /// The label's element, with where its words are in `text`; nil when the name came from an attribute.
    public var labelLocator: TextLocator?

    enum CodingKeys: String, CodingKey {
        case lang, kind, label, required, hint, error, options, checked, legend, text, locator
        case labelLocator = "label_locator"
    }
}
