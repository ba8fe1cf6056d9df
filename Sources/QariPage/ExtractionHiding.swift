import CGumbo

/// What is never read: hidden by markup or the page's CSS, or a script, control or navigation by tag or role.
extension Extraction {
    /// Selectors of the page's own `<style>` rules that hide (display:none or visibility:hidden), for all media.
    static func hidingSelectors(_ document: HTMLDocument) -> HidingSelectors {
        var selectors: [Selector] = []
        for node in document.nodes where node.kind == .element && node.tag == "style" {
            if let media = node.attribute("media")?.lowercased(), !media.isEmpty, media != "all", media != "screen" {
                continue
            }
            let css = node.children.map { document.nodes[$0].text }.joined()
            collect(CSS.parseStylesheet(css), into: &selectors)
        }
        return HidingSelectors(selectors)
    }

    static func collect(_ rules: [CSS.Rule], into selectors: inout [Selector]) {
        for rule in rules {
            switch rule {
            case .style(let prelude, let declarations):
                if declarations.contains(where: hides), let list = Selector.parseList(prelude) { selectors += list }
            case .at(let name, let prelude, let inner, _):
                // Rules inside @media apply only for some screens; @supports and @layer apply everywhere.
                let lower = name.lowercased()
                let media = CSS.serialize(prelude).lowercased().trimmingASCIISpaces()
                if lower == "media" && !(media == "all" || media == "screen") { continue }
                if let inner { collect(inner, into: &selectors) }
            }
        }
    }

    static func hides(_ d: CSS.Declaration) -> Bool {
        let value = d.value.filter { $0 != .whitespace }
        guard value.count == 1, case .ident(let v) = value[0] else { return false }
        return (d.name == "display" && v.lowercased() == "none")
            || (d.name == "visibility" && (v.lowercased() == "hidden" || v.lowercased() == "collapse"))
    }

    /// Whether `element` and everything in it is hidden from every reader by its own markup or the page's CSS.
    func isHidden(_ element: Int) -> Bool { Self.isHidden(element, in: document, hiddenBy: hiddenBy) }

    /// `isHidden` for any document and its page's hiding selectors (what form fields are judged by too).
    static func isHidden(_ element: Int, in document: HTMLDocument, hiddenBy: HidingSelectors) -> Bool {
        let nodes = document.nodes
        if !nodes[element].attributes.isEmpty {
            if nodes[element].attribute("hidden") != nil { return true }
            if nodes[element].attribute("aria-hidden")?.lowercased() == "true" { return true }
            if nodes[element].tagID == Int(GUMBO_TAG_INPUT.rawValue)
                && nodes[element].attribute("type")?.lowercased() == "hidden"
            {
                return true
            }
            if let style = nodes[element].attribute("style"), CSS.parseDeclarations(style).contains(where: hides) {
                return true
            }
        }
        return hiddenBy.matchAny(element, in: document)
    }

    /// Never read, whatever it holds: scripts, controls, navigation and complementary content by tag or role.
    func isNeverRead(_ element: Int) -> Bool {
        if Self.skipped.contains(nodes[element]) { return true }
        if nodes[element].attributes.isEmpty { return false }
        if nodes[element].attribute("data-qari-skip") != nil { return true }
        if let role = nodes[element].attribute("role")?.lowercased(), Self.skippedRoles.contains(role) { return true }
        return false
    }
}
