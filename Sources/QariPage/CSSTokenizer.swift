extension CSS {
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
}
