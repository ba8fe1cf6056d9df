/// CSS: a tokenizer following CSS Syntax Level 3 (§4), and the rule structure built from its tokens (§5,
/// simplified: qualified rules, at-rules with blocks, declarations).
public enum CSS {
    public enum Token: Equatable, Sendable {
        case ident(String)
        case function(String)
        case atKeyword(String)
        case hash(String, isID: Bool)
        case string(String)
        case badString
        case url(String)
        case badURL
        case delim(Unicode.Scalar)
        case number(Double, String)
        case percentage(Double, String)
        case dimension(Double, String, unit: String)
        case whitespace
        case cdo, cdc, colon, semicolon, comma
        case openSquare, closeSquare, openParen, closeParen, openCurly, closeCurly

        /// The token as CSS text (serializing tokens back gives equivalent CSS).
        public var css: String {
            switch self {
            case .ident(let s): CSS.escapeIdent(s)
            case .function(let s): CSS.escapeIdent(s) + "("
            case .atKeyword(let s): "@" + CSS.escapeIdent(s)
            case .hash(let s, _): "#" + CSS.escapeName(s)
            case .string(let s): CSS.quote(s)
            // Written so that they read back as what they are (a declaration holding one stays invalid).
            case .badString: "\"\n"
            case .url(let s): "url(" + CSS.escapeURL(s) + ")"
            case .badURL: "url(bad\")"
            case .delim(let c): c == "\\" ? "\\\n" : String(c)
            case .number(_, let r), .percentage(_, let r): r + (self.isPercentage ? "%" : "")
            case .dimension(_, let r, let unit): r + CSS.escapeUnit(unit, after: r)
            case .whitespace: " "
            case .cdo: "<!--"
            case .cdc: "-->"
            case .colon: ":"
            case .semicolon: ";"
            case .comma: ","
            case .openSquare: "["
            case .closeSquare: "]"
            case .openParen: "("
            case .closeParen: ")"
            case .openCurly: "{"
            case .closeCurly: "}"
            }
        }

        var isPercentage: Bool {
            if case .percentage = self { return true }
            return false
        }
    }

    /// Tokenizes `source` (after the standard's preprocessing: CR LF, CR, FF → LF; NUL → U+FFFD).
    public static func tokenize(_ source: String) -> [Token] {
        var input: [Unicode.Scalar] = []
        input.reserveCapacity(source.unicodeScalars.count)
        var previousCR = false
        for c in source.unicodeScalars {
            if previousCR && c == "\n" {
                previousCR = false
                continue
            }
            previousCR = c == "\r"
            input.append(c == "\r" || c == "\u{0C}" ? "\n" : (c == "\0" ? "\u{FFFD}" : c))
        }
        var t = Tokenizer(input: input)
        var tokens: [Token] = []
        while let token = t.next() { tokens.append(token) }
        return tokens
    }

    struct Tokenizer {
        let input: [Unicode.Scalar]
        var i = 0

        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < input.count ? input[i + k] : nil }

        static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c.value >= 0x80
        }
        static func isName(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || isDigit(c) || c == "-" }
        static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        static func isHex(_ c: Unicode.Scalar) -> Bool {
            isDigit(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c)
        }
        static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" }

        func validEscape(_ k: Int = 0) -> Bool { peek(k) == "\\" && peek(k + 1) != nil && peek(k + 1) != "\n" }

        func startsIdent(_ k: Int = 0) -> Bool {
            guard let c = peek(k) else { return false }
            if c == "-" {
                guard let d = peek(k + 1) else { return false }
                return Self.isNameStart(d) || d == "-" || validEscape(k + 1)
            }
            if Self.isNameStart(c) { return true }
            return validEscape(k)
        }

        func startsNumber() -> Bool {
            guard let c = peek() else { return false }
            if c == "+" || c == "-" {
                if let d = peek(1), Self.isDigit(d) { return true }
                return peek(1) == "." && peek(2).map(Self.isDigit) == true
            }
            if c == "." { return peek(1).map(Self.isDigit) == true }
            return Self.isDigit(c)
        }

        mutating func escape() -> Unicode.Scalar {
            // The backslash is consumed.
            guard let c = peek() else { return "\u{FFFD}" }
            i += 1
            guard Self.isHex(c) else { return c }
            var hex = String(c)
            while hex.count < 6, let d = peek(), Self.isHex(d) {
                hex.unicodeScalars.append(d)
                i += 1
            }
            if let s = peek(), Self.isSpace(s) { i += 1 }
            let value = UInt32(hex, radix: 16) ?? 0xFFFD
            if value == 0 || (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return "\u{FFFD}" }
            return Unicode.Scalar(value) ?? "\u{FFFD}"
        }

        mutating func name() -> String {
            var s = String.UnicodeScalarView()
            while let c = peek() {
                if Self.isName(c) {
                    s.append(c)
                    i += 1
                } else if validEscape() {
                    i += 1
                    s.append(escape())
                } else {
                    break
                }
            }
            return String(s)
        }

        mutating func number() -> (Double, String) {
            var repr = String.UnicodeScalarView()
            func take() {
                repr.append(input[i])
                i += 1
            }
            if peek() == "+" || peek() == "-" { take() }
            while let c = peek(), Self.isDigit(c) { take() }
            if peek() == ".", let d = peek(1), Self.isDigit(d) {
                take()
                while let c = peek(), Self.isDigit(c) { take() }
            }
            if peek() == "e" || peek() == "E" {
                if let d = peek(1), Self.isDigit(d) {
                    take()
                    while let c = peek(), Self.isDigit(c) { take() }
                } else if peek(1) == "+" || peek(1) == "-", let d = peek(2), Self.isDigit(d) {
                    take()
                    take()
                    while let c = peek(), Self.isDigit(c) { take() }
                }
            }
            let text = String(repr)
            return (Double(text) ?? 0, text)
        }

        mutating func string(_ quote: Unicode.Scalar) -> Token {
            var s = String.UnicodeScalarView()
            while let c = peek() {
                i += 1
                if c == quote { return .string(String(s)) }
                if c == "\n" {
                    i -= 1
                    return .badString
                }
                if c == "\\" {
                    if peek() == nil { continue }
                    if peek() == "\n" {
                        i += 1
                        continue
                    }
                    s.append(escape())
                    continue
                }
                s.append(c)
            }
            return .string(String(s))
        }

        mutating func url() -> Token {
            while let c = peek(), Self.isSpace(c) { i += 1 }
            var s = String.UnicodeScalarView()
            while let c = peek() {
                i += 1
                if c == ")" { return .url(String(s)) }
                if Self.isSpace(c) {
                    while let d = peek(), Self.isSpace(d) { i += 1 }
                    if peek() == nil || peek() == ")" {
                        if peek() == ")" { i += 1 }
                        return .url(String(s))
                    }
                    badURLRemnants()
                    return .badURL
                }
                if c == "\"" || c == "'" || c == "(" || c.value < 0x20 || c.value == 0x7F {
                    badURLRemnants()
                    return .badURL
                }
                if c == "\\" {
                    if validEscape(-1) {
                        s.append(escape())
                    } else {
                        badURLRemnants()
                        return .badURL
                    }
                    continue
                }
                s.append(c)
            }
            return .url(String(s))
        }

        mutating func badURLRemnants() {
            while let c = peek() {
                i += 1
                if c == ")" { return }
                if c == "\\", peek() != nil { _ = escape() }
            }
        }

        mutating func identLike() -> Token {
            let n = name()
            if n.lowercased() == "url" && peek() == "(" {
                i += 1
                while let c = peek(), Self.isSpace(c), let d = peek(1), Self.isSpace(d) { i += 1 }
                let next = peek().flatMap { Self.isSpace($0) ? peek(1) : $0 }
                if next == "\"" || next == "'" { return .function(n) }
                return url()
            }
            if peek() == "(" {
                i += 1
                return .function(n)
            }
            return .ident(n)
        }

        mutating func numeric() -> Token {
            let (value, repr) = number()
            if startsIdent() { return .dimension(value, repr, unit: name()) }
            if peek() == "%" {
                i += 1
                return .percentage(value, repr)
            }
            return .number(value, repr)
        }

        mutating func next() -> Token? {
            // Comments.
            while peek() == "/" && peek(1) == "*" {
                i += 2
                while i < input.count && !(peek() == "*" && peek(1) == "/") { i += 1 }
                i = min(i + 2, input.count)
            }
            guard let c = peek() else { return nil }
            if Self.isSpace(c) {
                while let d = peek(), Self.isSpace(d) { i += 1 }
                return .whitespace
            }
            switch c {
            case "\"", "'":
                i += 1
                return string(c)
            case "#":
                if let d = peek(1), Self.isName(d) || validEscape(1) {
                    i += 1
                    let isID = startsIdent()
                    return .hash(name(), isID: isID)
                }
            case "(":
                i += 1
                return .openParen
            case ")":
                i += 1
                return .closeParen
            case "+", ".":
                if startsNumber() { return numeric() }
            case ",":
                i += 1
                return .comma
            case "-":
                if startsNumber() { return numeric() }
                if peek(1) == "-" && peek(2) == ">" {
                    i += 3
                    return .cdc
                }
                if startsIdent() { return identLike() }
            case ":":
                i += 1
                return .colon
            case ";":
                i += 1
                return .semicolon
            case "<":
                if peek(1) == "!" && peek(2) == "-" && peek(3) == "-" {
                    i += 4
                    return .cdo
                }
            case "@":
                if startsIdent(1) {
                    i += 1
                    return .atKeyword(name())
                }
            case "[":
                i += 1
                return .openSquare
            case "\\":
                if validEscape() { return identLike() }
            case "]":
                i += 1
                return .closeSquare
            case "{":
                i += 1
                return .openCurly
            case "}":
                i += 1
                return .closeCurly
            default:
                if Self.isDigit(c) { return numeric() }
                if Self.isNameStart(c) { return identLike() }
            }
            i += 1
            return .delim(c)
        }
    }

    static func escapeName(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if Tokenizer.isName(c) {
                out.unicodeScalars.append(c)
            } else {
                out += "\\" + String(c.value, radix: 16) + " "
            }
        }
        return out
    }

    static func escapeIdent(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return "" }
        if Tokenizer.isDigit(first)
            || (first == "-" && s.unicodeScalars.count > 1 && Tokenizer.isDigit(Array(s.unicodeScalars)[1]))
        {
            return "\\" + String(first.value, radix: 16) + " " + escapeName(String(s.unicodeScalars.dropFirst()))
        }
        if s == "-" { return "\\-" }
        return escapeName(s)
    }

    static func escapeUnit(_ unit: String, after repr: String) -> String {
        // "1e3" style units would be read back as exponents.
        if let f = unit.unicodeScalars.first, f == "e" || f == "E" {
            return "\\" + String(f.value, radix: 16) + " " + escapeName(String(unit.unicodeScalars.dropFirst()))
        }
        return escapeIdent(unit)
    }

    /// The contents of an unquoted `url(…)`: quoted, it would read back as a `url` function holding a string.
    static func escapeURL(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"", "'", "(", ")", "\\", " ", "\t", "\n", "\r", "\u{0C}":
                out += "\\" + String(c.value, radix: 16) + " "
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    out += "\\" + String(c.value, radix: 16) + " "
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\a "
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    out += "\\" + String(c.value, radix: 16) + " "
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    /// Tokens serialized back to CSS; a comment is put between tokens that would otherwise merge.
    public static func serialize(_ tokens: [Token]) -> String {
        var out = ""
        var previous: Token?
        for token in tokens {
            let text = token.css
            if let p = previous, needsSeparator(p, token) { out += "/**/" }
            out += text
            previous = token
        }
        return out
    }

    /// Whether two tokens written side by side would read back as other tokens (CSS Syntax 3, §9).
    static func needsSeparator(_ a: Token, _ b: Token) -> Bool {
        let identLike: Bool
        switch b {
        case .ident, .function, .url, .badURL: identLike = true
        default: identLike = false
        }
        let numeric: Bool
        switch b {
        case .number, .percentage, .dimension: numeric = true
        default: numeric = false
        }
        let minus = b == .delim("-")
        switch a {
        case .ident:
            return identLike || minus || numeric || b == .cdc || b == .openParen
        case .atKeyword, .hash, .dimension:
            return identLike || minus || numeric || b == .cdc
        case .delim("#"), .delim("-"):
            return identLike || minus || numeric
        case .number:
            return identLike || numeric || b == .delim("%")
        case .delim("@"):
            return identLike || minus || b == .cdc
        case .delim("."), .delim("+"):
            return numeric
        case .delim("/"):
            return b == .delim("*")
        default:
            return false
        }
    }

    // MARK: Rules

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
