import QariText

/// A field's spoken description, made from its parts in one language's words.
enum FieldDescription {
    /// The text, and where the label starts in it (in code points; nil when the field has no label).
    static func text(of field: FormField, words: FieldWords) -> (String, Int?) {
        var out = ""
        if let legend = field.legend { out += sentence(legend) + " " }
        let kind = words.word(field.kind)
        let labelOffset = field.label.isEmpty ? nil : out.unicodeScalars.count
        var head = field.label.isEmpty ? capitalized(kind) : field.label + words.comma + kind
        if field.required { head += words.comma + words.required }
        if let checked = field.checked { head += words.comma + (checked ? words.checked : words.unchecked) }
        out += sentence(head)
        if let hint = field.hint { out += " " + sentence(hint) }
        if let error = field.error { out += " " + words.error + " " + sentence(error) }
        if let options = field.options, !options.isEmpty {
            let labels = options.map(\.label).filter { !$0.isEmpty }
            out += " " + words.options + " " + sentence(labels.joined(separator: words.comma))
            let chosen = options.filter(\.chosen).map(\.label).filter { !$0.isEmpty }
            out +=
                " " + words.chosen + " "
                + sentence(chosen.isEmpty ? words.nothingChosen : chosen.joined(separator: words.comma))
        }
        return (out, labelOffset)
    }

    /// The text ending as a sentence: a full stop unless it ends with punctuation already.
    static func sentence(_ text: String) -> String {
        guard let last = text.unicodeScalars.last else { return text }
        return ".!?:;…؟؛".unicodeScalars.contains(last) ? text : text + "."
    }

    /// The first letter in capitals (a kind said alone opens the sentence).
    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
