extension CSS {
    /// A declaration: `name: value [!important]`.
    public struct Declaration: Equatable, Sendable {
        public var name: String
        public var value: [Token]
        public var important: Bool
    }

    /// A rule of a stylesheet.
    public indirect enum Rule: Equatable, Sendable {
        /// `selector { declarations }`
        case style(prelude: [Token], declarations: [Declaration])
        /// `@name prelude { rules }` (media, supports, layer, container…) or `@name prelude;`
        case at(name: String, prelude: [Token], rules: [Rule]?, declarations: [Declaration]?)
    }

    /// The rules of a stylesheet.
    public static func parseStylesheet(_ source: String) -> [Rule] {
        var p = RuleParser(tokens: tokenize(source))
        return p.rules(topLevel: true)
    }

    /// The declarations of a `style` attribute.
    public static func parseDeclarations(_ source: String) -> [Declaration] {
        RuleParser.declarations(tokenize(source)[...])
    }

    struct RuleParser {
        let tokens: [Token]
        var i = 0

        mutating func rules(topLevel: Bool) -> [Rule] {
            var out: [Rule] = []
            while i < tokens.count {
                switch tokens[i] {
                case .whitespace, .cdo, .cdc:
                    i += 1
                case .closeCurly where !topLevel:
                    i += 1
                    return out
                case .atKeyword(let name):
                    i += 1
                    let prelude = preludeTokens()
                    if i < tokens.count, tokens[i] == .openCurly {
                        i += 1
                        let lower = name.lowercased()
                        if ["media", "supports", "layer", "container", "document", "scope"].contains(lower) {
                            out.append(
                                .at(name: name, prelude: prelude, rules: rules(topLevel: false), declarations: nil))
                        } else {
                            let body = block()
                            out.append(
                                .at(
                                    name: name, prelude: prelude, rules: nil, declarations: Self.declarations(body[...])
                                ))
                        }
                    } else {
                        if i < tokens.count { i += 1 }
                        out.append(.at(name: name, prelude: prelude, rules: nil, declarations: nil))
                    }
                default:
                    let prelude = preludeTokens()
                    guard i < tokens.count, tokens[i] == .openCurly else {
                        if i < tokens.count { i += 1 }
                        continue
                    }
                    i += 1
                    out.append(.style(prelude: prelude, declarations: Self.declarations(block()[...])))
                }
            }
            return out
        }

        /// Tokens up to `{` or `;` (not consumed), with nested blocks kept whole.
        mutating func preludeTokens() -> [Token] {
            var out: [Token] = []
            var depth = 0
            while i < tokens.count {
                let t = tokens[i]
                if depth == 0 && (t == .openCurly || t == .semicolon) { break }
                if depth == 0 && t == .closeCurly { break }
                if t == .openParen || t == .openSquare
                    || { if case .function = t { return true } else { return false } }()
                {
                    depth += 1
                }
                if t == .closeParen || t == .closeSquare { depth = max(0, depth - 1) }
                out.append(t)
                i += 1
            }
            return out
        }

        /// The tokens of a `{}` block whose `{` is consumed, up to its `}` (consumed).
        mutating func block() -> [Token] {
            var out: [Token] = []
            var depth = 0
            while i < tokens.count {
                let t = tokens[i]
                i += 1
                if t == .openCurly { depth += 1 }
                if t == .closeCurly {
                    if depth == 0 { return out }
                    depth -= 1
                }
                out.append(t)
            }
            return out
        }

        static func declarations(_ tokens: ArraySlice<Token>) -> [Declaration] {
            var out: [Declaration] = []
            var current: [Token] = []
            var depth = 0
            func finish() {
                defer { current = [] }
                var parts = current[...]
                while parts.first == .whitespace { parts.removeFirst() }
                guard case .ident(let name) = parts.first else { return }
                parts.removeFirst()
                while parts.first == .whitespace { parts.removeFirst() }
                guard parts.first == .colon else { return }
                parts.removeFirst()
                var value = Array(parts)
                while value.last == .whitespace { value.removeLast() }
                while value.first == .whitespace { value.removeFirst() }
                var important = false
                if value.count >= 2, case .ident(let word) = value[value.count - 1], word.lowercased() == "important" {
                    var k = value.count - 2
                    while k >= 0 && value[k] == .whitespace { k -= 1 }
                    if k >= 0, value[k] == .delim("!") {
                        important = true
                        value.removeSubrange(k...)
                        while value.last == .whitespace { value.removeLast() }
                    }
                }
                out.append(Declaration(name: name.lowercased(), value: value, important: important))
            }
            for t in tokens {
                if depth == 0 && t == .semicolon {
                    finish()
                    continue
                }
                if t == .openCurly || t == .openParen || t == .openSquare { depth += 1 }
                if case .function = t { depth += 1 }
                if t == .closeCurly || t == .closeParen || t == .closeSquare { depth = max(0, depth - 1) }
                current.append(t)
            }
            finish()
            return out
        }
    }
}
