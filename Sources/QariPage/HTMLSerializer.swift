/// Writes a parsed page back as HTML (the HTML standard's fragment serialization algorithm).
///
/// Reparsing the output builds the same tree, so a transform that only edits attributes and styles keeps every
/// element, text, link, form and script of the page.
public enum HTMLSerializer {
    static let void: Set<String> = [
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link",
        "meta", "param", "source", "track", "wbr",
    ]
    static let rawText: Set<String> = [
        "style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript",
    ]

    /// The document as HTML; `edit` may change an element's attributes or replace the text of its children
    /// (for `<style>`) before it is written, and `append` gives HTML to write before an element's end tag.
    public static func serialize(
        _ document: HTMLDocument,
        edit: (Int, inout [(name: String, value: String)], inout String?) -> Void = { _, _, _ in },
        rename: (Int) -> String? = { _ in nil },
        append: (Int) -> String = { _ in "" }
    ) -> String {
        var out = ""
        out.reserveCapacity(document.nodes.count * 32)
        if let doctype = document.doctype { out += "<!DOCTYPE \(doctype.isEmpty ? "html" : doctype)>" }
        // Iterative: (node, entering).
        var stack: [(Int, Bool)] = document.nodes[0].children.reversed().map { ($0, true) }
        while let (i, entering) = stack.popLast() {
            let node = document.nodes[i]
            switch node.kind {
            case .text, .whitespace:
                let parent = node.parent >= 0 ? document.nodes[node.parent].tag : ""
                out += rawText.contains(parent) ? node.text : escape(node.text, attribute: false)
            case .comment:
                out += "<!--" + node.text + "-->"
            case .element:
                let tag = rename(i) ?? node.tag
                if !entering {
                    out += append(i) + "</" + tag + ">"
                    continue
                }
                var attributes = node.attributes
                var replacement: String?
                edit(i, &attributes, &replacement)
                out += "<" + tag
                for a in attributes { out += " " + a.name + "=\"" + escape(a.value, attribute: true) + "\"" }
                out += ">"
                if void.contains(node.tag) { continue }
                if let replacement {
                    out += replacement + append(i) + "</" + tag + ">"
                    continue
                }
                if ["pre", "textarea", "listing"].contains(node.tag), let first = node.children.first,
                    document.nodes[first].text.hasPrefix("\n")
                {
                    out += "\n"
                }
                stack.append((i, false))
                stack += node.children.reversed().map { ($0, true) }
            case .document, .other:
                continue
            }
        }
        return out
    }

    static func escape(_ text: String, attribute: Bool) -> String {
        let needs = text.utf8.contains { b in
            b == UInt8(ascii: "&") || b == 0xC2
                || (attribute ? b == UInt8(ascii: "\"") : b == UInt8(ascii: "<") || b == UInt8(ascii: ">"))
        }
        if !needs { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "\u{A0}": out += "&nbsp;"
            case "\"" where attribute: out += "&quot;"
            case "<" where !attribute: out += "&lt;"
            case ">" where !attribute: out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
