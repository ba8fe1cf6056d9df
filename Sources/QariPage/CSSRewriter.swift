/// Rewrites a page's own CSS for the display modes: colours left to the contrast sheet, absolute font sizes made
/// relative to the root, fixed heights and widths released, `prefers-contrast`/`forced-colors` rules applied.
enum CSSRewriter {
    /// Declarations the contrast sheet owns; the page's would otherwise win with `!important` or inline.
    static let colourProperties: Set<String> = [
        "color", "background", "background-color", "background-image", "-webkit-text-fill-color", "text-shadow",
        "filter", "mix-blend-mode", "-webkit-text-stroke-color",
    ]

    /// A `style` attribute's declarations, rewritten.
    static func declarations(_ source: String, modes: DisplayTransform.Modes) -> String {
        serialize(rewrite(CSS.parseDeclarations(source), modes: modes))
    }

    /// A `<style>` sheet, rewritten.
    static func stylesheet(_ source: String, modes: DisplayTransform.Modes) -> String {
        serialize(rewrite(CSS.parseStylesheet(source), modes: modes), depth: 0)
    }

    static func rewrite(_ rules: [CSS.Rule], modes: DisplayTransform.Modes) -> [CSS.Rule] {
        var out: [CSS.Rule] = []
        for rule in rules {
            switch rule {
            case .style(let prelude, let declarations):
                out.append(.style(prelude: prelude, declarations: rewrite(declarations, modes: modes)))
            case .at(let name, let prelude, let inner, let declarations):
                let condition = CSS.serialize(prelude).lowercased().filter { $0 != " " }
                if name.lowercased() == "media", modes.contrast != nil, let inner {
                    // The reader asked for more contrast: the page's own high-contrast rules apply, low ones not.
                    if condition == "(prefers-contrast:more)" || condition == "(forced-colors:active)"
                        || condition == "(prefers-contrast:high)"
                    {
                        out += rewrite(inner, modes: modes)
                        continue
                    }
                    if condition.contains("prefers-contrast:less") || condition.contains("forced-colors:none") {
                        continue
                    }
                }
                out.append(
                    .at(
                        name: name, prelude: prelude, rules: inner.map { rewrite($0, modes: modes) },
                        declarations: declarations.map {
                            name.lowercased() == "font-face" ? $0 : rewrite($0, modes: modes)
                        }))
            }
        }
        return out
    }

    static func rewrite(_ declarations: [CSS.Declaration], modes: DisplayTransform.Modes) -> [CSS.Declaration] {
        var out: [CSS.Declaration] = []
        for var d in declarations {
            if modes.contrast != nil && colourProperties.contains(d.name) { continue }
            if modes.contrast != nil && (d.name == "fill" || d.name == "stroke") {
                // Icons take the text colour; shapes the page leaves unpainted stay so.
                let none = d.value.contains { $0 == .ident("none") || $0 == .ident("transparent") }
                if !none { d.value = [.ident("currentColor")] }
            }
            if modes.scale != nil {
                switch d.name {
                case "font-size": d.value = relativeFontSize(d.value)
                case "font": d.value = d.value.map(remIfAbsolute)
                case "line-height", "letter-spacing", "word-spacing": continue
                default: break
                }
            }
            // Every mode reflows at 320 px and survives 200% text: fixed boxes give way.
            switch d.name {
            case "max-height":
                continue
            case "transform":
                // A rotated or skewed box is wider than its text and scrolls the page sideways.
                let turns = d.value.contains {
                    if case .function(let f) = $0 {
                        return ["rotate", "skew", "skewx", "skewy", "matrix", "rotatez"].contains(f.lowercased())
                    }
                    return false
                }
                if turns { continue }
            case "white-space":
                if d.value.contains(.ident("nowrap")) { continue }
            case "height":
                // A fixed height clips enlarged text: it becomes a minimum. 1–2 px boxes (visually hidden text,
                // rules) stay.
                if let px = pixels(d.value), px > 2 { d.name = "min-height" }
            case "width":
                if pixels(d.value) != nil { d.name = "max-width" }
            case "min-width":
                if let px = pixels(d.value), px > 160 { continue }
            case "position":
                // Fixed, sticky and absolute boxes cover text once it grows or the screen narrows: into the flow.
                if d.value.contains(.ident("fixed")) || d.value.contains(.ident("sticky"))
                    || d.value.contains(.ident("absolute"))
                {
                    d.value = [.ident("static")]
                }
            default: break
            }
            out.append(d)
        }
        return out
    }

    static let absoluteUnits: [String: Double] = [
        "px": 1, "pt": 4.0 / 3, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6,
    ]
    static let keywordSizes: [String: Double] = [
        "xx-small": 0.5625, "x-small": 0.625, "small": 0.8125, "medium": 1, "large": 1.125, "x-large": 1.5,
        "xx-large": 2, "xxx-large": 3,
    ]

    static func relativeFontSize(_ value: [CSS.Token]) -> [CSS.Token] {
        value.map { token in
            if case .ident(let keyword) = token, let rem = keywordSizes[keyword.lowercased()] {
                return .dimension(rem, format(rem), unit: "rem")
            }
            return remIfAbsolute(token)
        }
    }

    static func remIfAbsolute(_ token: CSS.Token) -> CSS.Token {
        guard case .dimension(let v, _, let unit) = token, let factor = absoluteUnits[unit.lowercased()] else {
            return token
        }
        let rem = v * factor / 16
        return .dimension(rem, format(rem), unit: "rem")
    }

    /// A number as CSS writes it; huge, infinite or NaN values (a page's `1e300px`) are held to what browsers keep.
    static func format(_ v: Double) -> String {
        let held = v.isNaN ? 0 : min(max(v, -1e9), 1e9)
        let rounded = (held * 10000).rounded() / 10000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func pixels(_ value: [CSS.Token]) -> Double? {
        let tokens = value.filter { $0 != .whitespace }
        guard tokens.count == 1, case .dimension(let v, _, let unit) = tokens[0],
            let f = absoluteUnits[unit.lowercased()]
        else { return nil }
        return v * f
    }

    static func serialize(_ declarations: [CSS.Declaration]) -> String {
        declarations.map { d in
            d.name + ":" + CSS.serialize(d.value) + (d.important ? " !important" : "")
        }.joined(separator: ";")
    }

    static func serialize(_ rules: [CSS.Rule], depth: Int) -> String {
        var out = ""
        for rule in rules {
            switch rule {
            case .style(let prelude, let declarations):
                out += CSS.serialize(prelude).trimmingASCIISpaces() + "{" + serialize(declarations) + "}\n"
            case .at(let name, let prelude, let inner, let declarations):
                out += "@" + CSS.escapeIdent(name) + CSS.serialize(prelude)
                if let inner {
                    out += "{\n" + serialize(inner, depth: depth + 1) + "}\n"
                } else if let declarations {
                    out += "{" + serialize(declarations) + "}\n"
                } else {
                    out += ";\n"
                }
            }
        }
        return out
    }
}
