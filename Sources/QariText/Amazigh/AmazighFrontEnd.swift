/// Makes Amazigh text (Tifinagh or IRCAM Latin) ready for a Qari Amazigh voice: each word becomes eSpeak phoneme
/// input `[[…]]`, numbers and dates are read out, punctuation stays for eSpeak's pauses.
public enum AmazighFrontEnd {
    /// The spoken form of `text` in `variety`, traced to `text`, and warnings about letters read by a stand-in.
    public static func prepare(_ text: String, variety: AmazighVariety) -> (spoken: SpokenText, warnings: [String]) {
        var result = SpokenText(original: text)
        let s = result.original
        var warnings: [String] = []
        let tokens = tokenize(s)
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .word:
                let word = string(s[token.range])
                let next = tokens[(index + 1)...].first { $0.kind != .other || !isBlank(s[$0.range]) }
                let nextVowel =
                    next.map { $0.kind == .word && AmazighG2P.startsWithVowel(string(s[$0.range])) } ?? false
                let (phonemes, wordWarnings) = AmazighG2P.phonemes(
                    word, variety: variety, nextStartsWithVowel: nextVowel)
                warnings += wordWarnings
                if phonemes.isEmpty {
                    result.replace(token.range, with: " ")
                } else if AmazighG2P.isValid(phonemes) {
                    result.replace(token.range, with: "[[\(phonemes)]]")
                } else {
                    // Never reached by construction; eSpeak's zgh rules then read the letters.
                    result.copy(token.range)
                }
            case .number(let words), .date(let words):
                let spoken = words.split(separator: " ").map { w in
                    // A comma between an identifier's groups is a pause for eSpeak.
                    w == ","
                        ? ","
                        : "[[\(AmazighG2P.phonemes(String(w), variety: variety, nextStartsWithVowel: false).phonemes)]]"
                }
                result.replace(token.range, with: spoken.joined(separator: " "))
            case .phonemes:
                // A lexicon's phonemes, as the linguist wrote them.
                result.copy(token.range)
            case .other:
                for i in token.range {
                    // Brackets would open eSpeak phoneme input; the Tuareg separator is a word space.
                    let c = s[i]
                    if c == "[" || c == "]" || c == "\u{2D70}" {
                        result.replace(i..<i + 1, with: " ")
                    } else if let word = symbolWords[c] {
                        let phonemes = AmazighG2P.phonemes(word, variety: variety, nextStartsWithVowel: false).phonemes
                        result.replace(i..<i + 1, with: " [[\(phonemes)]] ")
                    } else if isSilentSymbol(c) {
                        result.replace(i..<i + 1, with: " ")
                    } else {
                        result.copy(i..<i + 1)
                    }
                }
            }
        }
        var seen = Set<String>()
        return (result, warnings.filter { seen.insert($0).inserted })
    }

    /// The warnings `prepare` would give, without preparing.
    public static func warnings(_ text: String) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for c in text.unicodeScalars {
            if let stand = AmazighLetters.nonIRCAM[c], seen.insert(String(c)).inserted {
                out.append("\(c) (U+\(hex(c))) is not an IRCAM Tifinagh letter; read as \(stand) (U+\(hex(stand)))")
            }
        }
        return out
    }

    enum Kind: Equatable {
        case word
        case number(String)
        case date(String)
        /// `[[…]]` from a lexicon (the caller's own brackets were taken out before).
        case phonemes
        case other
    }

    struct Token {
        var kind: Kind
        var range: Range<Int>
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(c) || (0x0660...0x0669).contains(c.value)
    }

    static func isBlank(_ s: ArraySlice<Unicode.Scalar>) -> Bool { s.allSatisfy { $0.properties.isWhitespace } }

    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s)
        return String(v)
    }

    static func tokenize(_ s: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        func digits(from j: Int) -> Int {
            var k = j
            while k < s.count && isDigit(s[k]) { k += 1 }
            return k
        }
        while i < s.count {
            let c = s[i]
            if c == "[", i + 1 < s.count, s[i + 1] == "[",
                let close = (i + 2..<max(i + 2, s.count - 1)).first(where: { s[$0] == "]" && s[$0 + 1] == "]" })
            {
                tokens.append(Token(kind: .phonemes, range: i..<close + 2))
                i = close + 2
                continue
            }
            if isDigit(c) {
                if let identifier = identifier(s, at: i, after: tokens) {
                    tokens.append(identifier)
                    i = identifier.range.upperBound
                    continue
                }
                if let date = date(s, at: i) {
                    tokens.append(date)
                    i = date.range.upperBound
                    continue
                }
                var end = digits(from: i)
                var text = string(s[i..<end])
                // Space-grouped thousands (CLDR zgh): 1 000 000.
                while end + 3 < s.count + 1, end < s.count, [" ", "\u{A0}", "\u{202F}"].contains(s[end]),
                    digits(from: end + 1) == end + 4
                {
                    text += string(s[(end + 1)..<(end + 4)])
                    end += 4
                }
                var words = AmazighNumbers.words(digits: text) ?? text
                // Decimal comma (or point): read the fraction after "fasila".
                if end + 1 < s.count, s[end] == "," || s[end] == ".", isDigit(s[end + 1]) {
                    let fractionEnd = digits(from: end + 1)
                    words += " fasila " + (AmazighNumbers.words(digits: string(s[(end + 1)..<fractionEnd])) ?? "")
                    end = fractionEnd
                }
                tokens.append(Token(kind: .number(words), range: i..<end))
                i = end
            } else if AmazighLetters.isWordScalar(c) {
                var end = i + 1
                while end < s.count && AmazighLetters.isWordScalar(s[end]) { end += 1 }
                tokens.append(Token(kind: .word, range: i..<end))
                i = end
            } else {
                var end = i + 1
                while end < s.count && !isDigit(s[end]) && !AmazighLetters.isWordScalar(s[end])
                    && !(s[end] == "[" && end + 1 < s.count && s[end + 1] == "[")
                {
                    end += 1
                }
                tokens.append(Token(kind: .other, range: i..<end))
                i = end
            }
        }
        return tokens
    }

    /// Symbols said in running text, in the Moroccan words the separators use (IRCAM Latin): per cent and per
    /// mille as "f lmya" and "f lalf", "&" as the Amazigh "d" (and).
    static let symbolWords: [Unicode.Scalar: String] = [
        "%": "f lmya", "٪": "f lmya", "‰": "f lalf", "&": "d",
    ]

    /// A symbol with nothing to say in Amazigh: left silent, never read by the Arabic table's English fallback.
    static func isSilentSymbol(_ c: Unicode.Scalar) -> Bool {
        NormalizerScanner.isUnsaid(c) || ["/", "#", "*", "@", "§", "¶"].contains(c)
    }

    /// Words after which a number names something (a law, a file) instead of counting it: ⵓⵟⵟⵓⵏ (number), n°.
    static let identifierWords: Set<String> = ["ⵓⵟⵟⵓⵏ", "uṭṭun", "n°", "N°", "nº", "Nº"]

    /// An identifier's separators as Moroccans say them (the Arabic words Qari's Arabic voice says, as numbers
    /// from 20 up are said in Moroccan Arabic): dash, point, slash.
    static let separatorWords: [Unicode.Scalar: String] = ["-": "cerṭa", ".": "nnuqṭa", "/": "ɛla"]

    /// `ⵓⵟⵟⵓⵏ 1-11-140`: after a word that names, digit groups are read as written (leading zeros too) with their
    /// separators spoken, instead of as one quantity or a range. Only with a separator or a leading zero.
    static func identifier(_ s: [Unicode.Scalar], at i: Int, after tokens: [Token]) -> Token? {
        var k = tokens.count - 1
        var sign = ""
        if k >= 0, case .other = tokens[k].kind {
            sign = string(s[tokens[k].range]).filter { $0 != " " && $0 != "\u{A0}" }
            k -= 1
        }
        // "n°": the word, then the sign in the spaces after it.
        guard k >= 0, case .word = tokens[k].kind, sign.isEmpty || sign == "°" || sign == "º" else { return nil }
        let before = string(s[tokens[k].range]) + sign
        guard identifierWords.contains(before) else { return nil }
        var groups: [String] = []
        var separators: [String] = []
        var j = i
        while j < s.count, isDigit(s[j]) {
            var e = j
            while e < s.count, isDigit(s[e]) { e += 1 }
            groups.append(string(s[j..<e]))
            j = e
            guard e + 1 < s.count, let spoken = separatorWords[s[e]], isDigit(s[e + 1]) else { break }
            separators.append(spoken)
            j = e + 1
        }
        guard groups.count > 1 || (groups[0].count > 1 && groups[0].hasPrefix("0")) else { return nil }
        var words = AmazighNumbers.words(digits: groups[0]) ?? groups[0]
        for (separator, group) in zip(separators, groups.dropFirst()) {
            words += " , " + separator + " , " + (AmazighNumbers.words(digits: group) ?? group)
        }
        return Token(kind: .number(words), range: i..<j)
    }

    /// dd/mm/yyyy (or with . or -) at `i`: the day, the month's Tifinagh name, the year.
    static func date(_ s: [Unicode.Scalar], at i: Int) -> Token? {
        var fields: [Int] = []
        var j = i
        var separator: Unicode.Scalar?
        while fields.count < 3 {
            var k = j
            var value = 0
            // At most five digits are read: no field of a date has more, and a long run of digits is not a date.
            while k < s.count, k - j < 5, let d = Int(String(s[k])), ("0"..."9").contains(s[k]) {
                value = value * 10 + d
                k += 1
            }
            let length = k - j
            guard fields.count < 2 ? (1...2).contains(length) : length == 4 else { return nil }
            fields.append(value)
            j = k
            if fields.count < 3 {
                guard j < s.count, ["/", ".", "-"].contains(s[j]), separator == nil || separator == s[j] else {
                    return nil
                }
                separator = s[j]
                j += 1
            }
        }
        if j < s.count, isDigit(s[j]) { return nil }
        guard (1...31).contains(fields[0]), (1...12).contains(fields[1]) else { return nil }
        let words = [
            AmazighNumbers.words(fields[0]), AmazighNumbers.months[fields[1] - 1], AmazighNumbers.words(fields[2]),
        ]
        return Token(kind: .date(words.joined(separator: " ")), range: i..<j)
    }
}
