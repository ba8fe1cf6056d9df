extension CSS {
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
}
