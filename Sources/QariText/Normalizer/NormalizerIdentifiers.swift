/// The normaliser's rules for identifiers (law and file numbers) and Roman numerals.
extension NormalizerScanner {
    // MARK: - Identifiers

    /// The word before position `k` (skipping spaces), lower-cased, and where it starts.
    func wordBefore(_ k: Int) -> (String, Int)? {
        var j = k
        while j > 0 && isSpace(j - 1) { j -= 1 }
        var w = j
        while w > 0 && (isLetter(w - 1) || c[w - 1] == "°" || c[w - 1] == "º" || c[w - 1] == ".") { w -= 1 }
        guard w < j else { return nil }
        return (String(String.UnicodeScalarView(c[w..<j])).lowercased(), w)
    }

    /// Words after which a number names something (a law, a decree, a file, a form) instead of counting it.
    static let identifierWords: Set<String> = [
        "n°", "nº", "no.", "n°.", "numéro", "num.", "loi", "dahir", "décret", "arrêté", "circulaire", "dossier",
        "référence", "réf.", "réf", "ref.", "formulaire", "matricule", "quittance", "رقم", "القانون", "قانون",
        "الظهير", "ظهير", "المرسوم", "مرسوم", "القرار", "قرار", "الدورية", "دورية", "ملف", "الملف", "المرجع", "مرجع",
    ]

    /// `dahir n° 1-11-140`, `loi n° 31.08`, `القانون رقم 65.99`, `Formulaire n° 2026/AB-1234`, `dossier 118734`:
    /// a code, read as written: its digits in the groups people say (`Address.digitGroups`), its capitals
    /// spelled, its separators spoken.
    ///
    /// Only after a word that names (n°, numéro, رقم, loi, dossier…), and only when the number has a separator, a
    /// leading zero or five digits or more: `N° 3` stays a plain number.
    func identifier(at k: Int) -> (Int, String)? {
        guard let (word, _) = wordBefore(k), Self.identifierWords.contains(word.replacing("º", with: "°")) else {
            return nil
        }
        var groups: [(text: String, letters: Bool)] = []
        var separators: [Unicode.Scalar] = []
        var j = k
        while true {
            if let (g, e) = digits(at: j) {
                groups.append((g, false))
                j = e
            } else {
                var e = j
                while e < c.count, e - j < 4, ("A"..."Z").contains(c[e]) { e += 1 }
                guard e > j, !isLetter(e) else { break }
                groups.append((String(String.UnicodeScalarView(c[j..<e])), true))
                j = e
            }
            guard j + 1 < c.count, c[j] == "-" || c[j] == "." || c[j] == "/",
                isDigit(j + 1) || ("A"..."Z").contains(c[j + 1])
            else { break }
            separators.append(c[j])
            j += 1
        }
        // A code ends on its digits or letters, never on a separator it did not take.
        if !separators.isEmpty, separators.count == groups.count {
            separators.removeLast()
            j -= 1
        }
        guard let first = groups.first, !first.letters, atWordEnd(j),
            !separators.isEmpty || first.text.first == "0" && first.text.count > 1 || first.text.count >= 5
        else { return nil }
        var words: [String] = []
        for (n, g) in groups.enumerated() {
            if g.letters {
                words.append(g.text.map(String.init).joined(separator: " "))
            } else {
                let chars = Array(g.text)
                let year = chars.count == 4 && (g.text.hasPrefix("19") || g.text.hasPrefix("20"))
                let spans = chars.count >= 4 ? Address.digitGroups(chars.count, yearLike: year) : [0..<chars.count]
                for span in spans {
                    var rest = chars[span]
                    while rest.count > 1, rest.first == "0" {
                        words.append(zero)
                        rest = rest.dropFirst()
                    }
                    words.append(String(rest))
                }
            }
            if n < separators.count {
                switch separators[n] {
                case "-": words.append(fr ? "tiret" : "شرطة")
                case ".": words.append(fr ? "point" : "نقطة")
                default: words.append(fr ? "barre" : "على")
                }
            }
        }
        return (j, words.joined(separator: " "))
    }

    /// `5G`, `4K`: a number and capitals read apart (the capitals as letters).
    func digitsAndCapitals(at k: Int) -> (Int, String)? {
        guard let (d, e) = digits(at: k, max: 4) else { return nil }
        var j = e
        while j < c.count, ("A"..."Z").contains(c[j]) { j += 1 }
        guard j > e, j - e <= 3, atWordEnd(j) else { return nil }
        let letters = c[e..<j].map { String($0) }.joined(separator: " ")
        return (j, "\(d) \(letters)")
    }

    // MARK: - Roman numerals (French)

    static func romanValue(_ s: [Unicode.Scalar]) -> Int? {
        let values: [Unicode.Scalar: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000]
        var total = 0
        for (n, ch) in s.enumerated() {
            guard let v = values[ch] else { return nil }
            if n + 1 < s.count, let next = values[s[n + 1]], next > v { total -= v } else { total += v }
        }
        // Only the canonical spelling: IIII, VX and the like are not numerals.
        guard total > 0, total < 4000, Self.roman(total) == String(String.UnicodeScalarView(s)) else { return nil }
        return total
    }

    static func roman(_ n: Int) -> String {
        let table: [(Int, String)] = [
            (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
        ]
        var n = n
        var out = ""
        for (v, r) in table {
            while n >= v {
                out += r
                n -= v
            }
        }
        return out
    }

    /// Words after which a bare Roman numeral is a number: `titre II`, `chapitre IV`.
    static let romanCounters: Set<String> = [
        "titre", "chapitre", "livre", "tome", "partie", "section", "annexe", "article", "volume", "acte", "phase",
    ]

    /// `XXIe siècle`, `François Ier`, `Mohammed VI`, `Hassan II`, `titre III`: ordinals and cardinals as French says
    /// them. A bare numeral counts only after a capitalized name or a word like `titre`, so `CV` or `DC` in other
    /// places stay letters.
    func roman(at k: Int) -> (Int, String)? {
        var j = k
        while j < c.count, "IVXLCDM".unicodeScalars.contains(c[j]) { j += 1 }
        guard j > k else { return nil }
        let letters = Array(c[k..<j])
        // Ordinal: XXIe, IIIe, Ier, Ire, XIXème; a single letter only as Ier/Ire or before "siècle" (Ve siècle), so
        // that words such as "Le", "De" or "Ce" stay words.
        for suffix in ["ème", "eme", "er", "re", "e"] {
            guard let e = literal(suffix, at: j, caseSensitive: true), atWordEnd(e), let v = Self.romanValue(letters)
            else { continue }
            let single = letters.count == 1
            guard
                !single || (letters[0] == "I" && (suffix == "er" || suffix == "re"))
                    || ("IVX".unicodeScalars.contains(letters[0]) && literal("siècle", at: skipSpaces(e)) != nil)
            else { return nil }
            return (e, FrenchNumbers.ordinal(v, feminine: suffix == "re"))
        }
        guard atWordEnd(j), let v = Self.romanValue(letters) else { return nil }
        // A name a lexicon gave its phonemes (`[[mO'amEd]] VI`) is a name.
        var b = k
        while b > 0 && isSpace(b - 1) { b -= 1 }
        if b >= 2, c[b - 1] == "]", c[b - 2] == "]", b < k, letters.allSatisfy({ "IVX".unicodeScalars.contains($0) }),
            v <= 30
        {
            if v > 1, let blocked = withoutLiaison(v, at: j, always: true) { return (j, blocked) }
            return (j, v == 1 ? "premier" : String(v))
        }
        guard let (before, w) = wordBefore(k) else { return nil }
        let counter = Self.romanCounters.contains(before)
        // A name: capitalized, not all capitals, not the first word of a sentence ("Le", "La").
        let name =
            c[w].properties.isUppercase && before.count > 2
            && !c[(w + 1)..<(w + before.unicodeScalars.count)].allSatisfy { $0.properties.isUppercase }
            && letters.allSatisfy { "IVX".unicodeScalars.contains($0) } && v <= 30
        guard counter || name else { return nil }
        if name, v > 1, let blocked = withoutLiaison(v, at: j, always: true) { return (j, blocked) }
        return (j, name && v == 1 ? "premier" : String(v))
    }
}
