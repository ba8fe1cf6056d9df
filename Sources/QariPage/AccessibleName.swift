import CGumbo
import QariText

/// A control's accessible name, hint and error text, in the order of the HTML-AAM spec, over one document.
///
/// Built once per page (ids, labels, hiding): a page of 2,000 fields costs a lookup per field, not a walk of
/// the page. A text is gathered from an element's own text with no reference followed inside it, so an
/// `aria-labelledby` loop ends where it starts; each text is bounded in letters and in nodes visited.
struct AccessibleName {
    let document: HTMLDocument
    /// The first element with each id.
    let ids: [String: Int]
    /// The `<label for>` elements of each id, in document order.
    let labelsFor: [String: [Int]]
    /// Whether an element hides itself (not through an ancestor): `hidden`, `aria-hidden`, the page's CSS.
    let hidesItself: [Bool]

    /// Longest text kept of one name, hint or error, in characters.
    static let maxLetters = 400
    /// Most nodes visited for one text.
    static let maxNodes = 2000

    init(document: HTMLDocument, hiddenBy: HidingSelectors) {
        self.document = document
        var ids: [String: Int] = [:]
        var labelsFor: [String: [Int]] = [:]
        var hides = [Bool](repeating: false, count: document.nodes.count)
        for (i, node) in document.nodes.enumerated() where node.kind == .element {
            if let id = node.attribute("id"), !id.isEmpty, ids[id] == nil { ids[id] = i }
            if node.tagID == Int(GUMBO_TAG_LABEL.rawValue), let target = node.attribute("for"), !target.isEmpty {
                labelsFor[target, default: []].append(i)
            }
            hides[i] = Extraction.isHidden(i, in: document, hiddenBy: hiddenBy)
        }
        self.ids = ids
        self.labelsFor = labelsFor
        hidesItself = hides
    }

    /// Elements whose content is never part of a name: code, and controls whose content is a value.
    static let silent: Set<String> = ["script", "style", "template", "noscript", "select", "textarea", "input"]

    /// The elements an id list names, in order; ids that name nothing are skipped.
    func elements(_ idList: String?) -> [Int] {
        (idList ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).compactMap {
            ids[String($0)]
        }
    }

    /// The joined texts of the elements an id list names ("" when none has text).
    func text(ofIDs idList: String?) -> (text: String, from: Int?) {
        let found = elements(idList).map { ($0, text(of: $0)) }.filter { !$0.1.isEmpty }
        return (found.map(\.1).joined(separator: " "), found.first?.0)
    }

    /// An element's text as a listener would hear it: whitespace collapsed, hidden descendants, code and the
    /// content of controls left out, images by their `alt`. The element itself may be hidden (a hint shown by
    /// script still names the field).
    func text(of element: Int) -> String {
        var out = String.UnicodeScalarView()
        var stack = [element]
        var visited = 0
        let nodes = document.nodes
        // Twice the letters kept: room for the spaces that collapse.
        let room = Self.maxLetters * 2
        while let i = stack.popLast(), visited < Self.maxNodes, out.count < room {
            visited += 1
            switch nodes[i].kind {
            case .text, .whitespace:
                out += nodes[i].text.unicodeScalars.prefix(room - out.count)
            case .element:
                if i != element && (hidesItself[i] || Self.silent.contains(nodes[i].tag)) { continue }
                if i == element && Self.silent.contains(nodes[i].tag) { continue }
                if nodes[i].tagID == Int(GUMBO_TAG_IMG.rawValue), let alt = nodes[i].attribute("alt") {
                    out += (" " + alt + " ").unicodeScalars.prefix(room - out.count)
                    continue
                }
                if Extraction.block.contains(nodes[i]) || nodes[i].tagID == Int(GUMBO_TAG_BR.rawValue) {
                    out.append(" ")
                }
                stack += nodes[i].children.reversed()
            default:
                continue
            }
        }
        let collapsed = PassageBuilder.collapse(String(out))
        return collapsed.count > Self.maxLetters ? String(collapsed.prefix(Self.maxLetters)) : collapsed
    }

    /// An attribute's text, collapsed; nil when it is absent or blank.
    func attribute(_ name: String, of element: Int) -> String? {
        guard let value = document.nodes[element].attribute(name) else { return nil }
        let text = PassageBuilder.collapse(value)
        return text.isEmpty ? nil : String(text.prefix(Self.maxLetters))
    }

    /// The name of a control, and the element it came from (a label, a referenced element) when one did.
    ///
    /// `aria-labelledby` (its ids in order), `aria-label`, then the control's own: `<label for>` and the wrapping
    /// `<label>`, a button's content or caption, an image button's `alt`; then `title`, then `placeholder`.
    func name(of control: Int, kind: FieldKind, words: FieldWords) -> (text: String, from: Int?) {
        let labelled = text(ofIDs: document.nodes[control].attribute("aria-labelledby"))
        if !labelled.text.isEmpty { return labelled }
        if let label = attribute("aria-label", of: control) { return (label, nil) }
        let node = document.nodes[control]
        let type = node.attribute("type")?.lowercased() ?? ""
        let isInputButton = node.tagID == Int(GUMBO_TAG_INPUT.rawValue) && kind == .button
        if !isInputButton {
            var labels = node.attribute("id").flatMap { labelsFor[$0] } ?? []
            if let wrapping = wrappingLabel(control), !labels.contains(wrapping) { labels.append(wrapping) }
            let texts = labels.map { ($0, text(of: $0)) }.filter { !$0.1.isEmpty }
            if !texts.isEmpty { return (texts.map(\.1).joined(separator: " "), texts[0].0) }
        }
        if node.tagID == Int(GUMBO_TAG_BUTTON.rawValue) {
            let own = text(of: control)
            if !own.isEmpty { return (own, control) }
        }
        if isInputButton {
            if type == "image", let alt = attribute("alt", of: control) { return (alt, nil) }
            // A button's caption is the page's, not the citizen's.
            if type != "image", let caption = attribute("value", of: control) { return (caption, nil) }
        }
        if let title = attribute("title", of: control) { return (title, nil) }
        if !isInputButton, let placeholder = attribute("placeholder", of: control) { return (placeholder, nil) }
        if isInputButton && (type == "submit" || type == "image") { return (words.submit, nil) }
        if isInputButton && type == "reset" { return (words.reset, nil) }
        return ("", nil)
    }

    /// The nearest `<label>` around a control: the label whose labelled control it is.
    func wrappingLabel(_ control: Int) -> Int? {
        var p = document.nodes[control].parent
        while p >= 0, document.nodes[p].kind == .element {
            if document.nodes[p].tagID == Int(GUMBO_TAG_LABEL.rawValue) {
                // A label with `for` labels the control it names, not the ones inside it.
                let target = document.nodes[p].attribute("for")
                return target == nil || target == document.nodes[control].attribute("id") ? p : nil
            }
            p = document.nodes[p].parent
        }
        return nil
    }
}
