import Foundation
import QariText

/// High-contrast and larger-text versions of a page, meant to meet WCAG 2.2 AAA (7:1 contrast, 200% text,
/// reflow at 320 CSS px) without losing content.
///
/// The page keeps every element, text, link, form and script: the transform injects one stylesheet, rewrites the
/// colour and size declarations of the page's own `<style>` and `style` attributes (which could otherwise win with
/// `!important` or fixed pixels), and marks layout tables so they can be linearised.
public enum DisplayTransform {
    /// What the reader switched on.
    public struct Modes: Sendable, Equatable {
        public enum Contrast: String, Sendable, CaseIterable { case dark, light }

        public var contrast: Contrast?
        /// Link and focus colour (a name of `Accent.all`).
        public var accent: Accent?
        /// Text size in percent (150–300), nil for the page's own.
        public var scale: Int?

        public init(contrast: Contrast? = nil, accent: Accent? = nil, scale: Int? = nil) {
            self.contrast = contrast
            self.accent = accent
            self.scale = scale
        }

        /// Parses `contrast[:dark|:light][:ACCENT]` and `large[:PERCENT]` specs (comma lists allowed).
        public static func parse(_ specs: [String]) throws(TransformError) -> Modes {
            var modes = Modes()
            let parts: [String] = specs.flatMap { spec in
                spec.split(separator: ",").map { String($0).trimmingASCIISpaces().lowercased() }
            }
            guard parts.contains(where: { !$0.isEmpty }) else { throw .badMode("no mode given") }
            for part in parts where !part.isEmpty {
                let fields = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                switch fields[0] {
                case "contrast":
                    guard fields.count <= 3 else { throw .badMode(part) }
                    let contrast = fields.count > 1 ? Contrast(rawValue: fields[1]) : .dark
                    guard let contrast else { throw .badMode(part) }
                    modes.contrast = contrast
                    if fields.count == 3 {
                        guard let accent = Accent.all.first(where: { $0.name == fields[2] && $0.mode == contrast })
                        else {
                            throw .badMode(part)
                        }
                        modes.accent = accent
                    }
                case "large":
                    guard fields.count <= 2 else { throw .badMode(part) }
                    let scale =
                        fields.count == 2
                        ? Int(fields[1].hasSuffix("%") ? String(fields[1].dropLast()) : fields[1]) : 200
                    guard let scale, (150...300).contains(scale) else { throw .badMode(part) }
                    modes.scale = scale
                default:
                    throw .badMode(part)
                }
            }
            return modes
        }
    }

    /// A link and focus colour, with the page colours it is meant for.
    public struct Accent: Sendable, Equatable {
        public var name: String
        public var mode: Modes.Contrast
        public var hex: String

        public static let all: [Accent] = [
            Accent(name: "yellow", mode: .dark, hex: "#ffff00"), Accent(name: "cyan", mode: .dark, hex: "#00ffff"),
            Accent(name: "green", mode: .dark, hex: "#7cff7c"), Accent(name: "pink", mode: .dark, hex: "#ffb3de"),
            Accent(name: "blue", mode: .light, hex: "#0000c0"), Accent(name: "purple", mode: .light, hex: "#5a0096"),
            Accent(name: "green", mode: .light, hex: "#005000"), Accent(name: "red", mode: .light, hex: "#9a0000"),
        ]

        static func fallback(_ mode: Modes.Contrast) -> Accent { all.first { $0.mode == mode }! }
    }

    /// Why a transform was refused.
    public enum TransformError: Error, Equatable, Sendable, CustomStringConvertible {
        case badMode(String)

        public var description: String {
            switch self {
            case .badMode(let m):
                "unknown mode \"\(m)\": use contrast[:dark|:light][:ACCENT] and/or large[:150-300] (accents: "
                    + Accent.all.map { "\($0.mode.rawValue):\($0.name)" }.joined(separator: ", ") + ")"
            }
        }
    }

    /// Foreground and background of a contrast mode.
    /// Arabic and every Amazigh tag as CSS `:lang` selectors: scripts whose letters letter-spacing breaks apart.
    static let joinedScripts = (["ar"] + AmazighVariety.allCases.map(\.rawValue) + ["ber"])
        .map { ":lang(\($0)), :lang(\($0)) *" }.joined(separator: ", ")

    static func palette(_ mode: Modes.Contrast) -> (fg: String, bg: String) {
        mode == .dark ? ("#ffffff", "#000000") : ("#000000", "#ffffff")
    }

    /// The stylesheet that carries the modes (also what `--css` prints for a portal that injects it itself).
    /// The stylesheet for a live page (the reader button): in a cascade layer, so its `!important` rules win over
    /// the page's own unlayered `!important` ones, and without the root font size (the widget scales each element).
    public static func liveStylesheet(_ modes: Modes) -> String {
        var css = stylesheet(modes)
        if let scale = modes.scale {
            css = css.replacingOccurrences(
                of: "html { font-size: \(scale)% !important; -webkit-text-size-adjust: 100% !important; }\n", with: "")
        }
        return "@layer qari-display {\n" + css + "}\n"
    }

    public static func stylesheet(_ modes: Modes) -> String {
        // Every mode reflows: a reader who needs contrast may also read on a phone.
        var css = """
            /* Qari display transform */
            body { overflow-wrap: anywhere !important; }
            img, video, canvas, iframe, object, embed { max-width: 100% !important; }
            img, video, canvas { height: auto !important; }
            pre, code, kbd, samp { white-space: pre-wrap !important; }
            table:not([data-qari-layout]) { display: block !important; overflow-x: auto !important; max-width: 100% !important; }
            table[data-qari-layout], table[data-qari-layout] > tbody, table[data-qari-layout] > thead,
            table[data-qari-layout] > tfoot, table[data-qari-layout] > * > tr,
            table[data-qari-layout] > * > tr > td, table[data-qari-layout] > * > tr > th {
              display: block !important; width: auto !important; height: auto !important; }
            td[height], th[height], tr[height] { height: auto !important; }
            /* Letter-spacing breaks Arabic joins and crowds Tifinagh: never on those scripts. */
            \(Self.joinedScripts), [dir="rtl"], [dir="rtl"] * { letter-spacing: normal !important; }

            """
        if let contrast = modes.contrast {
            let (fg, bg) = palette(contrast)
            let accent = (modes.accent?.mode == contrast ? modes.accent : nil) ?? Accent.fallback(contrast)
            css += """
                html, body { background: \(bg) !important; color: \(fg) !important; color-scheme: \(contrast.rawValue) !important; }
                *, *::before, *::after { background-color: \(bg) !important; background-image: none !important;
                  color: \(fg) !important; border-color: currentColor !important; text-shadow: none !important;
                  -webkit-text-fill-color: currentColor !important; box-shadow: none !important; }
                a, a *, a:visited, a:visited * { color: \(accent.hex) !important; }
                a { text-decoration: underline !important; text-decoration-thickness: max(1px, 0.08em) !important; }
                :focus-visible, :focus { outline: 3px solid \(accent.hex) !important; outline-offset: 2px !important; }
                input, select, textarea, button, [role="button"] { border: 2px solid \(fg) !important; }
                img, picture, video, canvas, object, embed { outline: 1px solid \(fg) !important; filter: none !important; }
                svg { color: \(fg) !important; }
                svg [fill]:not([fill="none"]) { fill: currentColor !important; }
                svg [stroke]:not([stroke="none"]) { stroke: currentColor !important; }
                ::placeholder { color: \(fg) !important; opacity: 1 !important; }
                ::marker { color: \(fg) !important; }

                """
        }
        if let scale = modes.scale {
            css += """
                html { font-size: \(scale)% !important; -webkit-text-size-adjust: 100% !important; }
                *, *::before, *::after { line-height: 1.5 !important; letter-spacing: normal !important;
                  word-spacing: normal !important; max-width: 100% !important; min-width: 0 !important;
                  box-sizing: border-box !important; }
                input, select, textarea, button { font-size: 1em !important; }

                """
        }
        return css
    }

    /// The page with the modes applied.
    public static func transform(_ document: HTMLDocument, modes: Modes) -> String {
        let head = document.first("head")
        let layoutTables: Set<Int> = Set(
            (0..<document.nodes.count).filter { isLayoutTable($0, in: document) })
        let sheet = "<style id=\"qari-display\">\n" + stylesheet(modes) + "</style>"
        var injected = false
        var html = HTMLSerializer.serialize(document) { index, attributes, replacement in
            let node = document.nodes[index]
            if let i = attributes.firstIndex(where: { $0.name == "style" }) {
                attributes[i].value = CSSRewriter.declarations(attributes[i].value, modes: modes)
            }
            if node.tag == "style" {
                let css = node.children.map { document.nodes[$0].text }.joined()
                replacement = CSSRewriter.stylesheet(css, modes: modes)
            }
            if layoutTables.contains(index) { attributes.append((name: "data-qari-layout", value: "")) }
            // Larger text: the reader may zoom further, whatever the page's viewport says (WCAG 1.4.4).
            if modes.scale != nil, node.tag == "meta", node.attribute("name")?.lowercased() == "viewport",
                let i = attributes.firstIndex(where: { $0.name == "content" })
            {
                attributes[i].value = zoomable(attributes[i].value)
            }
            // A marquee becomes a still div (below); the reader still skips it like a ticker.
            if node.tag == "marquee" && !attributes.contains(where: { $0.name == "data-qari-skip" }) {
                attributes.append((name: "data-qari-skip", value: ""))
            }
        } rename: { index in
            // Moving text cannot be paused (WCAG 2.2.2): a marquee's text stays, standing still.
            document.nodes[index].tag == "marquee" ? "div" : nil
        } append: { index in
            guard index == head, !injected else { return "" }
            injected = true
            return sheet
        }
        if !injected { html = sheet + html }
        return html
    }

    /// A viewport's content with zoom unlocked: `user-scalable=no` (or 0) and a `maximum-scale` under 5 taken out,
    /// the rest kept as written. The widget's live mode does the same (`Public/qari/display.js`, `zoomable`).
    public static func zoomable(_ content: String) -> String {
        let parts = content.split(whereSeparator: { $0 == "," || $0 == ";" }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return parts.filter { part in
            let kv = part.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard kv.count == 2 else { return !part.isEmpty }
            if kv[0] == "user-scalable" { return !(kv[1] == "no" || kv[1] == "0") }
            if kv[0] == "maximum-scale" { return (Double(kv[1]) ?? 0) >= 5 }
            return true
        }.joined(separator: ", ")
    }

    /// A table used for layout rather than data: role presentation, or cells that hold blocks and no headers.
    static func isLayoutTable(_ index: Int, in document: HTMLDocument) -> Bool {
        let node = document.nodes[index]
        guard node.kind == .element, node.tag == "table" else { return false }
        if let role = node.attribute("role")?.lowercased(), role == "presentation" || role == "none" { return true }
        var hasHeaders = false
        var hasBlocks = false
        var stack = node.children
        while let i = stack.popLast() {
            let n = document.nodes[i]
            guard n.kind == .element else { continue }
            if ["th", "caption", "thead"].contains(n.tag) { hasHeaders = true }
            if ["p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "table", "form", "section"].contains(n.tag) {
                hasBlocks = true
            }
            if n.tag != "table" { stack += n.children }
        }
        return hasBlocks && !hasHeaders
    }
}
