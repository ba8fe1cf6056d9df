/// Rewrites numbers, dates, times, money, phone numbers, abbreviations, URLs and e-mail addresses the way people
/// say them, for the Arabic and French voices.
///
/// eSpeak NG reads digits well but not the portal's formats: "14/02/2025" with "slash", "20 DH" as letters,
/// "2e" as "deux e". The result is a `SpokenText`, so marks still point at the caller's characters.
public enum TextNormalizer {
    /// The languages with rules; other voices get their text unchanged.
    public enum Language: Sendable {
        case arabic, french

        /// The rules for a voice's language tag, if any.
        public init?(tag: String) {
            switch tag.lowercased().prefix(2) {
            case "ar": self = .arabic
            case "fr": self = .french
            default: return nil
            }
        }
    }

    /// The spoken form of `text` in `language`, traced back to `text`.
    public static func normalize(_ text: String, language: Language) -> SpokenText {
        // Superscript letters (Mᵐᵉ, 1ᵉʳ, Nᵒ) are read as the plain letters they abbreviate.
        let folded = Superscripts.fold(text)
        var scanner = NormalizerScanner(text: folded?.spokenString ?? text, language: language)
        scanner.run()
        return folded.map { $0.then(scanner.result) } ?? scanner.result
    }
}

/// One pass over a text, left to right: at each position the first rule that matches rewrites what it covers.
struct NormalizerScanner {
    let c: [Unicode.Scalar]
    let lang: TextNormalizer.Language
    var result: SpokenText
    var i = 0

    init(text: String, language: TextNormalizer.Language) {
        result = SpokenText(original: text)
        c = result.original
        lang = language
    }

    var fr: Bool { lang == .french }

    mutating func run() {
        while i < c.count {
            if c[i] == "[", i + 1 < c.count, c[i + 1] == "[" {
                // eSpeak phonemes from a lexicon: passed through untouched.
                var j = i + 2
                while j + 1 < c.count, !(c[j] == "]" && c[j + 1] == "]") { j += 1 }
                let end = min(c.count, j + 2)
                result.copy(i..<end)
                i = end
            } else if lang == .arabic, let (end, spoken) = tanweenOnAlif(at: i) {
                result.replace(i..<end, with: spoken)
                i = end
            } else if atWordStart(i), let (end, spoken) = match(at: i) {
                result.replace(i..<end, with: spoken)
                i = end
            } else if let (end, spoken) = symbol(at: i) {
                result.replace(i..<end, with: spoken)
                i = end
            } else if let d = digitValue(c[i]), !c[i].isASCII {
                // Arabic-Indic digits outside any pattern: the same number in Latin digits.
                result.replace(i..<i + 1, with: String(d))
                i += 1
            } else {
                result.copy(i..<i + 1)
                i += 1
            }
        }
    }

    // MARK: - Dispatch

    func match(at i: Int) -> (Int, String)? {
        if let m = urlOrEmail(at: i) { return m }
        if digitValue(c[i]) != nil || (c[i] == "+" && i + 1 < c.count && digitValue(c[i + 1]) != nil) {
            return identifier(at: i) ?? date(at: i) ?? dayList(at: i) ?? dayMonth(at: i) ?? decade(at: i) ?? time(at: i)
                ?? phone(at: i) ?? number(at: i) ?? digitsAndCapitals(at: i)
        }
        if let m = negative(at: i) ?? signBeforeNumber(at: i) ?? vulgarFraction(at: i)
            ?? currencyCodeBeforeNumber(at: i)
        {
            return m
        }
        if fr, let m = numero(at: i) { return m }
        if fr, let m = roman(at: i) { return m }
        return abbreviation(at: i) ?? (fr ? acronym(at: i) : nil)
    }

    // MARK: - Character classes

    func digitValue(_ s: Unicode.Scalar) -> Int? {
        switch s.value {
        case 0x30...0x39: Int(s.value - 0x30)
        case 0x660...0x669: Int(s.value - 0x660)
        case 0x6F0...0x6F9: Int(s.value - 0x6F0)
        default: nil
        }
    }

    func isDigit(_ k: Int) -> Bool { k < c.count && digitValue(c[k]) != nil }
    func isLetter(_ k: Int) -> Bool { k >= 0 && k < c.count && c[k].properties.isAlphabetic }
    func isSpace(_ k: Int) -> Bool { k < c.count && (c[k] == " " || c[k] == "\u{A0}" || c[k] == "\u{202F}") }
    func atWordStart(_ k: Int) -> Bool {
        k == 0 || !(isLetter(k - 1) || isDigit(k - 1)) || arabicProclitic(before: k)
    }
    /// Arabic glues و، ب، ل، ك، ف to the number after them (و25، ب20): the number still starts a word.
    func arabicProclitic(before k: Int) -> Bool {
        lang == .arabic && isDigit(k) && "وبلكف".unicodeScalars.contains(c[k - 1]) && (k == 1 || !isLetter(k - 2))
    }
    /// True when position `k` ends a word: the end, or anything but a letter or digit.
    func atWordEnd(_ k: Int) -> Bool { !(isLetter(k) || isDigit(k)) }

    /// The digits starting at `k`: their value as a string of ASCII digits, and where they end.
    func digits(at k: Int, max: Int = 40) -> (String, Int)? {
        var j = k
        var s = ""
        while j < c.count, let d = digitValue(c[j]), s.count < max {
            s.append(Character(String(d)))
            j += 1
        }
        return s.isEmpty ? nil : (s, j)
    }

    func skipSpaces(_ k: Int) -> Int {
        var j = k
        while isSpace(j) { j += 1 }
        return j
    }

    /// Matches `word` (case-insensitively) at `k`; returns where it ends.
    func literal(_ word: String, at k: Int, caseSensitive: Bool = false) -> Int? {
        var j = k
        for w in word.unicodeScalars {
            guard j < c.count else { return nil }
            let a = caseSensitive ? String(c[j]) : String(c[j]).lowercased()
            let b = caseSensitive ? String(w) : String(w).lowercased()
            guard a == b else { return nil }
            j += 1
        }
        return j
    }

    // MARK: - Dates and times

    func date(at k: Int) -> (Int, String)? {
        guard let (a, e1) = digits(at: k), e1 < c.count else { return nil }
        let sep = c[e1]
        guard sep == "/" || sep == "-" || sep == ".", let (b, e2) = digits(at: e1 + 1), e2 < c.count, c[e2] == sep,
            let (y, e3) = digits(at: e2 + 1), atWordEnd(e3) || (e3 < c.count && c[e3] == ".")
        else { return nil }
        let day: Int
        let month: Int
        let year: Int
        if a.count == 4 && b.count <= 2 && y.count <= 2 {
            (year, month, day) = (Int(a)!, Int(b)!, Int(y)!)
        } else if a.count <= 2 && b.count <= 2 && y.count == 4 {
            (day, month, year) = (Int(a)!, Int(b)!, Int(y)!)
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return (e3, spokenDate(day: day, month: month, year: year))
    }

    func spokenDate(day: Int, month: Int, year: Int) -> String {
        if fr {
            return "\(day == 1 ? "premier" : String(day)) \(Self.frenchMonths[month - 1]) \(year)"
        }
        return "\(day) \(Self.arabicMonths[month - 1]) \(year)"
    }

    /// `09h00`, `9h`, `9h30`, `16:30`, and ranges of them (`8h–16h`, `09:00 - 16:30`).
    func time(at k: Int) -> (Int, String)? {
        guard let (first, end) = clock(at: k) else { return nil }
        var j = skipSpaces(end)
        var connector: Int?
        if j < c.count, Self.dashes.contains(c[j]) {
            connector = j + 1
        } else if fr, let e = literal("à", at: j), isSpace(e) {
            connector = e
        } else if !fr, let e = literal("إلى", at: j), isSpace(e) {
            connector = e
        }
        if let connector {
            j = skipSpaces(connector)
            if let (second, end2) = clock(at: j) {
                return (end2, range(first, second, at: k))
            }
        }
        return (end, first)
    }

    func clock(at k: Int) -> (String, Int)? {
        guard let (h, e1) = digits(at: k, max: 2), e1 < c.count else { return nil }
        let sep = c[e1]
        let hour = Int(h)!
        guard hour <= 24 else { return nil }
        if sep == "h" || sep == "H" {
            if let (m, e2) = digits(at: e1 + 1, max: 2), m.count == 2, atWordEnd(e2) {
                let minute = Int(m)!
                guard minute < 60 else { return nil }
                return (spokenTime(hour, minute), e2)
            }
            guard atWordEnd(e1 + 1) else { return nil }
            return (spokenTime(hour, 0), e1 + 1)
        }
        if sep == ":", let (m, e2) = digits(at: e1 + 1, max: 2), m.count == 2, !isDigit(e2) {
            let minute = Int(m)!
            guard minute < 60 else { return nil }
            // 16:30:00 — seconds are not spoken.
            var end = e2
            if end + 2 < c.count, c[end] == ":", let (_, e3) = digits(at: end + 1, max: 2), e3 == end + 3 { end = e3 }
            return (spokenTime(hour, minute), end)
        }
        return nil
    }

    func spokenTime(_ hour: Int, _ minute: Int) -> String {
        if fr {
            let h = hour == 1 ? "une heure" : "\(hour) heures"
            return minute == 0 ? h : "\(h) \(minute)"
        }
        let h = "الساعة \(hour)"
        return minute == 0 ? h : "\(h) و \(minute) دقيقة"
    }

    // MARK: - Phone numbers

    /// Moroccan numbers, read in pairs as people say them: `05 37 00 00 00`, `0537-000000`, `+212 5 37 00 00 00`.
    func phone(at k: Int) -> (Int, String)? {
        var j = k
        var national = ""
        if c[k] == "+" || (literal("00212", at: k) != nil) {
            let start = c[k] == "+" ? k + 1 : k + 2
            guard literal("212", at: start) != nil else { return nil }
            j = start + 3
            national = "0"
        }
        var digitsSeen = ""
        var end = j
        while true {
            let s = j
            if !digitsSeen.isEmpty || !national.isEmpty {
                // Between groups: one space, dot or hyphen (and "(0)" after +212 is ignored).
                if j < c.count, c[j] == " " || c[j] == "." || c[j] == "-" || c[j] == "\u{A0}" { j += 1 }
            }
            guard let (g, e) = digits(at: j) else {
                j = s
                break
            }
            digitsSeen += g
            j = e
            end = e
            if (national + digitsSeen).count >= 10 { break }
        }
        let number = national + digitsSeen
        guard number.count == 10, number.first == "0", let second = number.dropFirst().first, "5678".contains(second),
            atWordEnd(end), !isDigit(end)
        else { return nil }
        // A ten-digit run without separators is a phone number only when it starts like one (checked above).
        let pairs = stride(from: 0, to: 10, by: 2).map { n -> String in
            let pair = Array(Array(number)[n..<n + 2])
            if pair[0] == "0" {
                return pair[1] == "0" ? "\(zero) \(zero)" : "\(zero) \(pair[1])"
            }
            return String(pair)
        }
        return (end, pairs.joined(separator: fr ? ", " : "، "))
    }

    var zero: String { fr ? "zéro" : "صفر" }

    // MARK: - Numbers, money, percentages, ordinals, ranges

    /// A number with its grouping, decimals and what follows it (a currency, %, an ordinal suffix, a range).
    func parseNumber(at k: Int) -> (integer: String, fraction: String?, end: Int)? {
        guard var (integer, j) = digits(at: k) else { return nil }
        // Thousands groups: "1 500 000", "1.500" (French), "1٬500". In Arabic text a comma or a dot before exactly
        // three digits groups too ("6,300 موقع", "2.500,00 درهم"); before one or two digits it is a decimal ("5.6").
        if integer.count <= 3 {
            while j + 3 < c.count || j + 3 == c.count {
                guard j < c.count,
                    isSpace(j) || c[j] == "\u{66C}" || (c[j] == "." && (fr || lang == .arabic))
                        || (c[j] == "," && lang == .arabic),
                    let (g, e) = digits(at: j + 1), g.count == 3, !isDigit(e)
                else { break }
                integer += g
                j = e
            }
        }
        var fraction: String?
        if j + 1 < c.count, c[j] == "," || c[j] == "\u{66B}" || (c[j] == "." && !fr), let (f, e) = digits(at: j + 1) {
            fraction = f
            j = e
        }
        return (integer, fraction, j)
    }

    func number(at k: Int) -> (Int, String)? {
        guard let (integer, fraction, end) = parseNumber(at: k) else { return nil }
        let value = Int(integer.prefix(15)) ?? 0
        let spokenInteger = String(value)
        let j = skipSpaces(end)

        // Percent and per mille.
        if j < c.count, let word = Self.percentWords[c[j]] {
            return (j + 1, spokenDecimal(spokenInteger, fraction) + " " + (fr ? word.fr : word.ar))
        }
        // Money.
        if let e = currency(at: j) {
            return (e, money(value, fraction))
        }
        if j < c.count, let foreign = Self.foreignCurrencies[c[j]] {
            return (j + 1, foreignMoney(value, fraction, foreign))
        }
        if let (e, name) = foreignCurrencyWord(at: j) {
            return (e, foreignMoney(value, fraction, name))
        }
        // Degrees, or an ordinal in an enumeration (1°, 6°).
        if j < c.count, c[j] == "°" || c[j] == "º" { return degrees(value, fraction, at: k, end: end) }
        // Fractions (3/4, 1 1/2) and numbers a slash separates.
        if fraction == nil, let m = slash(value, at: k, end: end) { return m }
        // Measures: km, kg, m², كلم…
        if let (e, unit) = unit(at: j, value: value, fraction: fraction) {
            return (e, spokenDecimal(spokenInteger, fraction) + " " + unit)
        }
        // French ordinals: 1er, 1re, 2e, 2ème, 3è, XXIe is not handled (roman numerals are rare on the portal).
        if fr, fraction == nil, end < c.count, !isSpace(end) {
            for suffix in ["ères", "ers", "res", "èmes", "emes", "es", "ère", "er", "re", "ème", "eme", "e", "è"] {
                if let e = literal(suffix, at: end, caseSensitive: true), atWordEnd(e) {
                    let plural = suffix.hasSuffix("s")
                    return (
                        e,
                        FrenchNumbers.ordinal(value, feminine: suffix.hasPrefix("r") || suffix == "ère")
                            + (plural ? "s" : "")
                    )
                }
            }
        }
        guard atWordEnd(end) || (end < c.count && !c[end].properties.isAlphabetic) else { return nil }
        // "1 février" is "premier février".
        if fr, value == 1, fraction == nil, Self.frenchMonths.contains(where: { literal($0, at: j) != nil }) {
            return (end, "premier")
        }
        // Ranges: "10-15 jours", "8 – 16".
        if fraction == nil, j < c.count, Self.dashes.contains(c[j]) {
            let s = skipSpaces(j + 1)
            if let (i2, f2, e2) = parseNumber(at: s), f2 == nil, let v2 = Int(i2.prefix(15)), v2 > value,
                atWordEnd(e2)
            {
                let tail = skipSpaces(e2)
                if let e = currency(at: tail) {
                    return (e, range(String(value), money(v2, nil), at: k))
                }
                return (e2, range(String(value), String(v2), at: k))
            }
        }
        if fraction == nil, let blocked = withoutLiaison(value, at: end) { return (end, blocked) }
        return (end, spokenDecimal(spokenInteger, fraction))
    }

    /// "from a to b", unless the text already says "from" or "between" just before.
    func range(_ a: String, _ b: String, at k: Int) -> String {
        var j = k
        while j > 0 && c[j - 1].properties.isWhitespace { j -= 1 }
        var w = j
        while w > 0 && isLetter(w - 1) { w -= 1 }
        let before = String(String.UnicodeScalarView(c[w..<j])).lowercased()
        if fr {
            if before == "de" || before == "du" { return "\(a) à \(b)" }
            if before == "entre" { return "\(a) et \(b)" }
            return "de \(a) à \(b)"
        }
        if before == "من" { return "\(a) إلى \(b)" }
        if before == "بين" { return "\(a) و \(b)" }
        return "من \(a) إلى \(b)"
    }

    func spokenDecimal(_ integer: String, _ fraction: String?) -> String {
        guard let fraction, !fraction.allSatisfy({ $0 == "0" }) else { return integer }
        var f = Substring(fraction)
        var zeros: [String] = []
        while f.count > 1, f.first == "0" {
            zeros.append(zero)
            f = f.dropFirst()
        }
        return ([integer, fr ? "virgule" : "فاصلة"] + zeros + [String(f)]).joined(separator: " ")
    }

    /// Where a currency word after a number ends: DH, dh, Dhs, MAD, د.م., درهم…
    func currency(at k: Int) -> Int? {
        for word in ["dirhams", "dirham", "dhs", "dh", "mad", "د.م.", "د.م", "دراهم", "درهما", "درهم"] {
            if let e = literal(word, at: k), atWordEnd(e) {
                return e
            }
        }
        return nil
    }

    func money(_ value: Int, _ fraction: String?) -> String {
        var centimes = 0
        if let fraction, let f = Int(fraction.prefix(2)) { centimes = fraction.count == 1 ? f * 10 : f }
        if fr {
            let main = value == 1 ? "un dirham" : "\(value) dirhams"
            return centimes == 0 ? main : "\(main) et \(centimes) centimes"
        }
        let main = Self.arabicCounted(
            value, one: "درهم واحد", two: "درهمان", few: "دراهم", many: "درهما", other: "درهم")
        return centimes == 0
            ? main
            : "\(main) و \(Self.arabicCounted(centimes, one: "سنتيم واحد", two: "سنتيمان", few: "سنتيمات", many: "سنتيما", other: "سنتيم"))"
    }

    /// An Arabic counted noun: the noun's form follows the number (3–10 plural, 11–99 accusative singular).
    static func arabicCounted(
        _ n: Int, one: String, two: String, few: String, many: String, other: String
    ) -> String {
        if n == 1 { return one }
        if n == 2 { return two }
        let r = n % 100
        if (3...10).contains(r) { return "\(n) \(few)" }
        if (11...99).contains(r) { return "\(n) \(many)" }
        return "\(n) \(other)"
    }

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

    /// Words after which a number names something (a law, a decree, a file) instead of counting it.
    static let identifierWords: Set<String> = [
        "n°", "nº", "no.", "n°.", "numéro", "num.", "loi", "dahir", "décret", "arrêté", "circulaire", "رقم",
        "القانون", "قانون", "الظهير", "ظهير", "المرسوم", "مرسوم", "القرار", "قرار", "الدورية", "دورية",
    ]

    /// `dahir n° 1-11-140`, `loi n° 31.08`, `القانون رقم 65.99`: digit groups read as written, separators spoken.
    ///
    /// Only after a word that names (n°, numéro, رقم, loi, dahir, décret…), and only when the number has a separator
    /// or a leading zero: `N° 3` stays a plain number.
    func identifier(at k: Int) -> (Int, String)? {
        guard let (word, _) = wordBefore(k), Self.identifierWords.contains(word.replacing("º", with: "°")) else {
            return nil
        }
        var groups: [String] = []
        var separators: [Unicode.Scalar] = []
        var j = k
        while let (g, e) = digits(at: j) {
            groups.append(g)
            j = e
            guard e + 1 < c.count, c[e] == "-" || c[e] == "." || c[e] == "/", isDigit(e + 1) else { break }
            separators.append(c[e])
            j = e + 1
        }
        guard !groups.isEmpty, atWordEnd(j), !separators.isEmpty || groups[0].first == "0" && groups[0].count > 1
        else { return nil }
        var words: [String] = []
        for (n, g) in groups.enumerated() {
            var rest = Substring(g)
            while rest.count > 1, rest.first == "0" {
                words.append(zero)
                rest = rest.dropFirst()
            }
            words.append(String(rest))
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

    // MARK: - Arabic spelling

    /// `أيضاً`, `جداً`: the tanween written on the alif (the common keyboard spelling) is put on the letter before it,
    /// where the vowel restorer and eSpeak expect it (`أيضًا`); the author's mark is kept once.
    func tanweenOnAlif(at k: Int) -> (Int, String)? {
        guard k < c.count, isArabicLetter(c[k]), c[k] != "ا" else { return nil }
        var j = k + 1
        while j < c.count, (0x064C...0x0652).contains(c[j].value) { j += 1 }
        guard j + 1 < c.count, c[j] == "ا", c[j + 1] == "\u{064B}", atWordEnd(j + 2) || !isArabicLetter(c[j + 2])
        else { return nil }
        // The marks already on the letter stay; a fathatan is never doubled.
        let marks = c[(k + 1)..<j].filter { $0 != "\u{064B}" }
        var out = String.UnicodeScalarView()
        out.append(c[k])
        out.append(contentsOf: marks)
        out.append("\u{064B}")
        out.append("ا")
        return (j + 2, String(out))
    }

    /// `RIB`, `EGDI`, `ONDA`: an acronym in capitals amid ordinary words is spelled, letter by letter, with French
    /// letter names; a heading written all in capitals is not.
    func acronym(at k: Int) -> (Int, String)? {
        var j = k
        while j < c.count, ("A"..."Z").contains(c[j]) { j += 1 }
        let length = j - k
        guard length >= 2, length <= 5, atWordEnd(j), j >= c.count || c[j] != "'" else { return nil }
        let letters = Array(c[k..<j])
        let vowels = letters.filter { "AEIOUY".unicodeScalars.contains($0) }.count
        // Five capitals with two vowels or more are usually said as a word (UNESCO-like names aside, ANAPEC).
        guard length <= 4 || vowels < 2 else { return nil }
        // Amid capitals (a heading in capitals), leave it alone.
        func capitalsWord(from start: Int, step: Int) -> Bool {
            var m = start
            while m >= 0 && m < c.count && (isSpace(m) || c[m] == "-") { m += step }
            guard m >= 0 && m < c.count, isLetter(m) else { return false }
            var n = m
            var count = 0
            while n >= 0 && n < c.count && isLetter(n) {
                guard c[n].properties.isUppercase else { return false }
                count += 1
                n += step
            }
            return count >= 2
        }
        guard !capitalsWord(from: k - 1, step: -1), !capitalsWord(from: j, step: 1) else { return nil }
        return (j, letters.map { String($0) }.joined(separator: " "))
    }

    // MARK: - Abbreviations, URLs, e-mail

    func abbreviation(at k: Int) -> (Int, String)? {
        for (written, spoken, caseSensitive) in fr ? Self.frenchAbbreviations : Self.arabicAbbreviations {
            guard let e = literal(written, at: k, caseSensitive: caseSensitive) else { continue }
            // An abbreviation ending in a letter must end the word; one ending in "." or "°" ends itself.
            if let last = written.unicodeScalars.last, last.properties.isAlphabetic, !atWordEnd(e) { continue }
            return (e, spoken)
        }
        return nil
    }

    func urlOrEmail(at k: Int) -> (Int, String)? {
        // An address starts with a letter or a digit and is at most 512 characters: the scan for its end is bounded
        // (a long run without spaces, scanned again from each of its word starts, was quadratic).
        guard c[k].properties.isAlphabetic || isDigit(k) else { return nil }
        let web = c[k] == "h" || c[k] == "H" || c[k] == "w" || c[k] == "W"
        var end = k
        var hasAt = false
        while end < c.count, end - k < 512, !isSpace(end), c[end] != "\n", !c[end].properties.isWhitespace {
            hasAt = hasAt || c[end] == "@"
            end += 1
        }
        guard web || hasAt else { return nil }
        while end > k, ".,;:!?)»\"'".unicodeScalars.contains(c[end - 1]) { end -= 1 }
        guard end > k else { return nil }
        let token = String(String.UnicodeScalarView(c[k..<end]))
        let lower = token.lowercased()
        var body = Substring(token)
        let isURL = lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.")
        let at = token.firstIndex(of: "@")
        let isEmail = !isURL && at != nil && token[at!...].contains(".") && token.first != "@"
        guard isURL || isEmail else { return nil }
        if lower.hasPrefix("http://") { body = body.dropFirst(7) }
        if lower.hasPrefix("https://") { body = body.dropFirst(8) }
        if body.hasSuffix("/") { body = body.dropLast() }
        var words: [String] = []
        var current = ""
        for ch in body {
            let name: String? =
                switch ch {
                case ".": fr ? "point" : "نقطة"
                case "/": fr ? "slash" : "سلاش"
                case "@": fr ? "arobase" : "آت"
                case "-": fr ? "tiret" : "شرطة"
                case "_": fr ? "tiret bas" : "شرطة سفلية"
                case ":": fr ? "deux points" : "نقطتان"
                default: nil
                }
            if let name {
                if !current.isEmpty { words.append(current) }
                current = ""
                words.append(name)
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        return (end, words.joined(separator: " "))
    }

    static let dashes: Set<Unicode.Scalar> = ["-", "–", "—", "\u{2011}"]

    static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]
    /// The month names used in Morocco.
    static let arabicMonths = [
        "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
    ]

    /// (written, spoken, case-sensitive); longer forms first.
    static let frenchAbbreviations: [(String, String, Bool)] = [
        ("N°", "numéro", false), ("Nº", "numéro", false), ("No.", "numéro", true),
        ("art.", "article", false), ("Tél.", "téléphone", false), ("Tél", "téléphone", true),
        ("Tel.", "téléphone", false), ("Fax.", "fax", false),
        ("CNIE", "C N I E", true), ("CIN", "C I N", true), ("RC", "R C", true), ("ICE", "I C E", true),
        ("TVA", "T V A", true), ("IR", "I R", true), ("IS", "I S", true), ("CNSS", "C N S S", true),
        ("Mmes", "mesdames", true), ("Mme", "madame", true), ("Mlles", "mesdemoiselles", true),
        ("Mlle", "mademoiselle", true), ("Mgr", "monseigneur", true), ("Dres", "docteures", true),
        ("Drs", "docteurs", true), ("Dre", "docteure", true), ("Dr", "docteur", true), ("Pr", "professeur", true),
        ("av.", "avenue", false), ("Bd", "boulevard", true),
        ("bd", "boulevard", true), ("DH", "dirhams", true), ("dhs", "dirhams", true), ("MAD", "dirhams", true),
    ]
    static let arabicAbbreviations: [(String, String, Bool)] = [
        ("ق.ل.ع", "قانون الالتزامات والعقود", true), ("ق.ج", "القانون الجنائي", true),
        ("م.ج", "المسطرة الجنائية", true), ("ق.م.م", "قانون المسطرة المدنية", true),
        ("ج.ر", "الجريدة الرسمية", true), ("ص.ب", "صندوق البريد", true), ("د.م.", "درهم", true),
        ("د.م", "درهم", true),
        ("N°", "رقم", false), ("Nº", "رقم", false),
        ("CNIE", "البطاقة الوطنية للتعريف الإلكترونية", true), ("CIN", "البطاقة الوطنية للتعريف", true),
        ("RC", "السجل التجاري", true), ("ICE", "التعريف الموحد للمقاولة", true),
        ("TVA", "الضريبة على القيمة المضافة", true), ("CNSS", "الصندوق الوطني للضمان الاجتماعي", true),
        ("DH", "درهم", true), ("MAD", "درهم", true),
    ]
}
