import CGumbo
import QariText

/// The fields of a page's forms in document order, each described for a listener: never a value typed in it.
///
/// Every visible control is a field (a group of radio buttons sharing a name in one form is one), with its
/// accessible name, its kind in words, whether it is required, its hint, its error and its choices.
struct FormFields {
    let document: HTMLDocument
    let names: AccessibleName
    let pageLang: String
    let deadline: Deadline
    /// Whether each node is hidden, by itself or by an ancestor.
    let hidden: [Bool]
    /// Each node's nearest enclosing element of a kind, itself included (-1: none): computed once, in one pass,
    /// so that a field costs no walk up the page.
    let form: [Int32]
    let fieldset: [Int32]
    /// Where a group of radio buttons takes its name, hint and error: a `radiogroup`, or a fieldset.
    let group: [Int32]
    /// The nearest element with a `lang`.
    let langElement: [Int32]
    /// The most fields a page is described with, and the most choices one field lists.
    static let maxFields = 5000
    static let maxOptions = 500

    init(document: HTMLDocument, hiddenBy: HidingSelectors, pageLang: String, deadline: Deadline) {
        self.document = document
        self.pageLang = pageLang
        self.deadline = deadline
        let names = AccessibleName(document: document, hiddenBy: hiddenBy)
        self.names = names
        let count = document.nodes.count
        var hidden = [Bool](repeating: false, count: count)
        var form = [Int32](repeating: -1, count: count)
        var fieldset = form
        var group = form
        var langElement = form
        // Nodes are in document order: a parent comes before its children.
        for (i, node) in document.nodes.enumerated() where node.kind == .element {
            let parent = node.parent
            if parent >= 0 {
                hidden[i] = hidden[parent]
                (form[i], fieldset[i], group[i], langElement[i]) =
                    (form[parent], fieldset[parent], group[parent], langElement[parent])
            }
            // data-qari-skip: the reader button's own controls (and what a page asks Qari to leave), never a field.
            hidden[i] =
                hidden[i] || names.hidesItself[i] || node.tag == "template" || node.attribute("data-qari-skip") != nil
            guard !node.attributes.isEmpty || node.tag == "form" || node.tag == "fieldset" else { continue }
            if node.tagID == Int(GUMBO_TAG_FORM.rawValue) { form[i] = Int32(i) }
            if node.tag == "fieldset" { (fieldset[i], group[i]) = (Int32(i), Int32(i)) }
            if node.attribute("role")?.lowercased() == "radiogroup" { group[i] = Int32(i) }
            if (node.attribute("lang") ?? node.attribute("xml:lang")).flatMap(Extraction.primary) != nil {
                langElement[i] = Int32(i)
            }
        }
        self.hidden = hidden
        self.form = form
        self.fieldset = fieldset
        self.group = group
        self.langElement = langElement
    }

    /// What kind of field an element is; nil when it is not a control, or a hidden input.
    static func kind(_ node: HTMLDocument.Node) -> FieldKind? {
        switch node.tagID {
        case Int(GUMBO_TAG_INPUT.rawValue):
            let type = node.attribute("type")?.lowercased().trimmingASCIISpaces() ?? ""
            if type == "hidden" { return nil }
            return inputKinds[type] ?? .text
        case Int(GUMBO_TAG_SELECT.rawValue):
            return node.attribute("multiple") != nil ? .listbox : .select
        case Int(GUMBO_TAG_TEXTAREA.rawValue): return .textarea
        case Int(GUMBO_TAG_BUTTON.rawValue): return .button
        default: return nil
        }
    }

    /// The kind of each `<input type>`; any other type is a text field, as browsers show it.
    static let inputKinds: [String: FieldKind] = [
        "search": .search, "email": .email, "tel": .tel, "url": .url, "number": .number, "password": .password,
        "date": .date, "datetime-local": .datetime, "month": .month, "week": .week, "time": .time,
        "range": .range, "color": .color, "file": .file, "checkbox": .checkbox, "radio": .radio,
        "submit": .button, "reset": .button, "image": .button, "button": .button,
    ]

    func run() throws(PageError) -> [FormField] {
        let nodes = document.nodes
        let groups = radioGroups()
        var fields: [FormField] = []
        var announced = Set<Int>()
        for i in nodes.indices where nodes[i].kind == .element && !hidden[i] {
            guard var kind = Self.kind(nodes[i]) else { continue }
            var members = [i]
            if kind == .radio, let group = groups.of[i] {
                guard groups.members[group][0] == i else { continue }
                members = groups.members[group]
                kind = .radioGroup
            }
            if fields.count & 31 == 31 && deadline.passed { throw .timeLimit(milliseconds: deadline.milliseconds) }
            fields.append(field(i, kind: kind, members: members, announced: &announced))
            if fields.count >= Self.maxFields { break }
        }
        return fields
    }

    /// Radio buttons by group: those of one form with one name, in document order.
    func radioGroups() -> (of: [Int: Int], members: [[Int]]) {
        var keys: [String: Int] = [:]
        var of: [Int: Int] = [:]
        var members: [[Int]] = []
        for (i, node) in document.nodes.enumerated()
        where node.kind == .element && !hidden[i] && Self.kind(node) == .radio {
            guard let name = node.attribute("name"), !name.isEmpty else { continue }
            let key = "\(formOwner(i))\u{0}\(name)"
            let group = keys[key] ?? members.count
            if group == members.count {
                keys[key] = group
                members.append([])
            }
            members[group].append(i)
            of[i] = group
        }
        return (of, members)
    }

    /// The form a control belongs to: its `form` attribute's, else its nearest `<form>` (-1: none).
    func formOwner(_ control: Int) -> Int {
        if let id = document.nodes[control].attribute("form"), let form = names.ids[id] { return form }
        return Int(form[control])
    }

    /// The language of an element's words: its nearest `lang`, else the page's.
    func language(of element: Int) -> String {
        let e = Int(langElement[element])
        guard e >= 0, let tag = document.nodes[e].attribute("lang") ?? document.nodes[e].attribute("xml:lang") else {
            return pageLang
        }
        return Extraction.primary(tag) ?? pageLang
    }

    /// The fieldsets around an element, nearest first.
    func fieldsets(around element: Int) -> [Int] {
        var out: [Int] = []
        var p = document.nodes[element].parent
        while p >= 0, fieldset[p] >= 0 {
            let f = Int(fieldset[p])
            out.append(f)
            p = document.nodes[f].parent
        }
        return out
    }

    /// Element indices (`children[i]`) from `document.documentElement` down to `element`.
    func path(_ element: Int) -> [Int] {
        var out: [Int] = []
        var e = element
        while e != document.root, document.nodes[e].parent >= 0,
            document.nodes[document.nodes[e].parent].kind == .element
        {
            out.append(document.nodes[e].elementIndex)
            e = document.nodes[e].parent
        }
        return out.reversed()
    }

    func locator(_ element: Int, offset: Int = 0, length: Int = 0) -> TextLocator {
        TextLocator(
            offset: offset, length: length, path: path(element), node: nil, start: nil, end: nil, attribute: nil)
    }

    /// A fieldset's first `<legend>` child.
    func legendElement(of fieldset: Int) -> Int? {
        guard document.nodes[fieldset].tag == "fieldset" else { return nil }
        return document.nodes[fieldset].children.first { document.nodes[$0].tag == "legend" }
    }

    /// The legend of a fieldset, if it has words.
    func legend(of fieldset: Int) -> String? {
        legendElement(of: fieldset).map(names.text(of:)).flatMap { $0.isEmpty ? nil : $0 }
    }

    func field(_ control: Int, kind: FieldKind, members: [Int], announced: inout Set<Int>) -> FormField {
        let lang = language(of: control)
        let words = FieldWords.forLanguage(lang)
        let fieldsets = fieldsets(around: control)
        // What carries a group's name, hint and error: a `radiogroup`, else its fieldset.
        let parent = document.nodes[control].parent
        let container = kind == .radioGroup && parent >= 0 && group[parent] >= 0 ? Int(group[parent]) : nil
        // A group is named by its container (a radiogroup's name, a fieldset's legend), never by one of its choices.
        var (label, from) = names.name(of: container ?? control, kind: kind, words: words)
        if label.isEmpty, let container, let legend = legendElement(of: container) {
            (label, from) = (names.text(of: legend), legend)
        }
        // Legends of the fieldsets this field opens, outermost first; a group named by its legend says it once.
        var legends: [String] = []
        for fieldset in fieldsets.reversed() where !announced.contains(fieldset) {
            announced.insert(fieldset)
            if let legend = legend(of: fieldset), legend != label { legends.append(legend) }
        }
        let nodes = document.nodes
        let owner = container.flatMap { c in nodes[c].attribute("aria-describedby") != nil ? c : nil } ?? control
        let invalid =
            (nodes[owner].attribute("aria-invalid") ?? nodes[control].attribute("aria-invalid"))
            .map { !["false", ""].contains($0.lowercased().trimmingASCIISpaces()) } ?? false
        let errorIDs = invalid ? nodes[owner].attribute("aria-errormessage") : nil
        let error = names.text(ofIDs: errorIDs).text
        let errorElements = Set(names.elements(errorIDs))
        // A hint that is the error already (`aria-describedby` naming the message too) is said once, as the error.
        let hintIDs = (nodes[owner].attribute("aria-describedby") ?? "").split(separator: " ").filter {
            names.ids[String($0)].map { !errorElements.contains($0) } ?? false
        }.joined(separator: " ")
        let hint = names.text(ofIDs: hintIDs).text
        let required =
            kind != .button
            && members.contains { m in
                nodes[m].attribute("required") != nil || nodes[m].attribute("aria-required")?.lowercased() == "true"
            } || (container.flatMap { nodes[$0].attribute("aria-required") }?.lowercased() == "true")
        let options = choices(kind, control: control, members: members, words: words)
        let checked = kind == .checkbox ? nodes[control].attribute("checked") != nil : nil
        var field = FormField(
            lang: lang, kind: kind, label: label, required: required, hint: hint.isEmpty ? nil : hint,
            error: error.isEmpty ? nil : error, options: options, checked: checked,
            legend: legends.isEmpty ? nil : legends.joined(separator: ". "), text: "", locator: locator(control),
            labelLocator: nil)
        let (text, labelOffset) = FieldDescription.text(of: field, words: words)
        field.text = text
        // An Amazigh field says its kind in French: with no Tifinagh in it, all of it is French (an Amazigh voice
        // would read Latin letters as IRCAM Latin).
        if Languages.isAmazigh(lang), !text.unicodeScalars.contains(where: { (0x2D30...0x2D7F).contains($0.value) }) {
            field.lang = words.lang
        }
        field.locator.length = text.unicodeScalars.count
        if let from, let labelOffset {
            field.labelLocator = locator(from, offset: labelOffset, length: label.unicodeScalars.count)
        }
        return field
    }

    /// A list's options (a `<select>`'s, in order, through its groups) or a group's radio buttons.
    func choices(_ kind: FieldKind, control: Int, members: [Int], words: FieldWords) -> [FieldOption]? {
        let nodes = document.nodes
        switch kind {
        case .radioGroup:
            return members.prefix(Self.maxOptions).map { m in
                FieldOption(
                    label: names.name(of: m, kind: .radio, words: words).text,
                    chosen: nodes[m].attribute("checked") != nil,
                    locator: locator(m))
            }
        case .select, .listbox:
            var options: [FieldOption] = []
            var firstOption: Int?
            var stack = Array(nodes[control].children.reversed())
            while let i = stack.popLast(), options.count < Self.maxOptions {
                guard nodes[i].kind == .element, !hidden[i] else { continue }
                if nodes[i].tag == "optgroup" {
                    stack += nodes[i].children.reversed()
                } else if nodes[i].tag == "option" {
                    defer { if firstOption == nil { firstOption = i } }
                    // A first option of no value is a prompt (`Choisissez…`), not a choice.
                    if firstOption == nil, nodes[i].attribute("value")?.isEmpty == true { continue }
                    let label = names.attribute("label", of: i) ?? names.text(of: i)
                    options.append(
                        FieldOption(label: label, chosen: nodes[i].attribute("selected") != nil, locator: locator(i)))
                }
            }
            // A list of one choice shows its first option chosen when the page chose none, unless that option is
            // only a prompt (`<option value="">Choisissez…</option>`).
            if kind == .select, !options.contains(where: \.chosen), let first = firstOption,
                nodes[first].attribute("value")?.isEmpty != true
            {
                options[0].chosen = true
            }
            return options
        default:
            return nil
        }
    }
}
