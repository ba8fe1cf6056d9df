/// CSS selectors Qari matches against a page: type, `*`, `.class`, `#id`, `[attr]`, `[attr=v]` (and `~= |= ^= $= *=`),
/// joined by descendant or `>` combinators. A selector with anything else (pseudo-classes, `+`, `~`) is
/// `nil`: never guessed at.
public struct Selector: Sendable, Equatable {
    struct Attribute: Sendable, Equatable {
        var name: String
        var op: String?
        var value: String
    }

    struct Compound: Sendable, Equatable {
        var tag: String?
        var ids: [String] = []
        var classes: [String] = []
        var attributes: [Attribute] = []
    }

    /// Compounds from left to right; `child[i]` says whether compound i+1 is a child (`>`) of compound i.
    var compounds: [Compound]
    var child: [Bool]

    /// Parses one selector list (`a, b`); nil if any part is beyond what Qari matches.
    public static func parseList(_ source: String) -> [Selector]? {
        parseList(CSS.tokenize(source))
    }

    static func parseList(_ tokens: [CSS.Token]) -> [Selector]? {
        var out: [Selector] = []
        for part in tokens.split(separator: .comma) {
            guard let s = parse(Array(part)) else { return nil }
            out.append(s)
        }
        return out.isEmpty ? nil : out
    }

    static func parse(_ tokens: [CSS.Token]) -> Selector? {
        var compounds: [Compound] = []
        var child: [Bool] = []
        var current: Compound?
        var pendingChild = false
        var i = 0
        func close() {
            if let c = current {
                if !compounds.isEmpty { child.append(pendingChild) }
                compounds.append(c)
                current = nil
                pendingChild = false
            }
        }
        while i < tokens.count {
            let t = tokens[i]
            switch t {
            case .whitespace:
                close()
            case .delim(">"):
                close()
                pendingChild = true
            case .ident(let name):
                guard current == nil else { return nil }
                current = Compound(tag: name.lowercased())
            case .delim("*"):
                guard current == nil else { return nil }
                current = Compound(tag: nil)
            case .hash(let name, _):
                if current == nil { current = Compound() }
                current!.ids.append(name)
            case .delim("."):
                guard i + 1 < tokens.count, case .ident(let name) = tokens[i + 1] else { return nil }
                if current == nil { current = Compound() }
                current!.classes.append(name)
                i += 1
            case .openSquare:
                var j = i + 1
                var inner: [CSS.Token] = []
                while j < tokens.count && tokens[j] != .closeSquare {
                    if tokens[j] != .whitespace { inner.append(tokens[j]) }
                    j += 1
                }
                guard j < tokens.count, case .ident(let name) = inner.first else { return nil }
                var attribute = Attribute(name: name.lowercased(), op: nil, value: "")
                if inner.count > 1 {
                    var k = 1
                    var op = ""
                    if case .delim(let d) = inner[k], "~|^$*".unicodeScalars.contains(d) {
                        op = String(d)
                        k += 1
                    }
                    guard k < inner.count, inner[k] == .delim("="), k + 1 < inner.count else { return nil }
                    switch inner[k + 1] {
                    case .ident(let v), .string(let v): attribute.value = v
                    default: return nil
                    }
                    attribute.op = op + "="
                    // A case-sensitivity flag (i/s) after the value is not supported.
                    guard k + 2 == inner.count else { return nil }
                }
                if current == nil { current = Compound() }
                current!.attributes.append(attribute)
                i = j
            default:
                return nil
            }
            i += 1
        }
        close()
        return compounds.isEmpty || child.count != compounds.count - 1
            ? nil : Selector(compounds: compounds, child: child)
    }

    /// Whether element `index` of `document` matches.
    public func matches(_ index: Int, in document: HTMLDocument) -> Bool {
        matches(compound: compounds.count - 1, element: index, in: document)
    }

    private func matches(compound k: Int, element: Int, in document: HTMLDocument) -> Bool {
        guard Self.matches(compounds[k], document.nodes[element]) else { return false }
        if k == 0 { return true }
        var parent = document.nodes[element].parent
        while parent >= 0, document.nodes[parent].kind == .element {
            if matches(compound: k - 1, element: parent, in: document) { return true }
            if child[k - 1] { return false }
            parent = document.nodes[parent].parent
        }
        return false
    }

    /// Whether a byte separates class names (ASCII whitespace, as HTML says).
    private static func separates(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    /// The class names of a `class` attribute.
    static func classNames(_ list: String) -> [Substring] {
        list.utf8.split(whereSeparator: separates).map { Substring($0) }
    }

    /// Whether the `class` attribute `list` holds `name`, compared byte by byte without splitting it (an ancestor's
    /// classes are looked at for every element under it).
    static func hasClass(_ name: String, in list: String) -> Bool {
        let bytes = list.utf8
        var i = bytes.startIndex
        while i < bytes.endIndex {
            while i < bytes.endIndex && separates(bytes[i]) { i = bytes.index(after: i) }
            var j = i
            while j < bytes.endIndex && !separates(bytes[j]) { j = bytes.index(after: j) }
            if i < j && bytes[i..<j].elementsEqual(name.utf8) { return true }
            i = j
        }
        return false
    }

    static func matches(_ c: Compound, _ node: HTMLDocument.Node) -> Bool {
        guard node.kind == .element else { return false }
        if let tag = c.tag, tag != node.tag { return false }
        if !c.ids.isEmpty && !c.ids.allSatisfy({ $0 == node.attribute("id") }) { return false }
        if !c.classes.isEmpty {
            let list = node.attribute("class") ?? ""
            if !c.classes.allSatisfy({ hasClass($0, in: list) }) { return false }
        }
        for a in c.attributes {
            guard let value = node.attribute(a.name) else { return false }
            switch a.op {
            case nil: continue
            case "=": if value != a.value { return false }
            case "~=": if !value.split(separator: " ").contains(where: { $0 == a.value }) { return false }
            case "|=": if value != a.value && !value.hasPrefix(a.value + "-") { return false }
            case "^=": if a.value.isEmpty || !value.hasPrefix(a.value) { return false }
            case "$=": if a.value.isEmpty || !value.hasSuffix(a.value) { return false }
            case "*=": if a.value.isEmpty || !value.contains(a.value) { return false }
            default: return false
            }
        }
        return true
    }
}
