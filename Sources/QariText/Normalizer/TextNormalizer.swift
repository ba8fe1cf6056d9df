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
    ///
    /// A text that is only a web address is a link, read as "lien vers" and its host; within a sentence (as point
    /// and listen says a link: "Lien : …") the whole address is read.
    public static func normalize(_ text: String, language: Language) -> SpokenText {
        // Superscript letters (Mᵐᵉ, 1ᵉʳ, Nᵒ) are read as the plain letters they abbreviate.
        let folded = Superscripts.fold(text)
        var scanner = NormalizerScanner(text: folded?.spokenString ?? text, language: language)
        scanner.isLink = Address.isWholeWebAddress(folded?.spokenString ?? text)
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
    /// The text is only a web address: it is read as a link to its host.
    var isLink = false

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
            } else if atWordStart(i), let end = address(at: i) {
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
        if digitValue(c[i]) != nil || (c[i] == "+" && i + 1 < c.count && digitValue(c[i + 1]) != nil) {
            return identifier(at: i) ?? date(at: i) ?? dayList(at: i) ?? dayMonth(at: i) ?? decade(at: i) ?? time(at: i)
                ?? phone(at: i) ?? number(at: i) ?? digitsAndCapitals(at: i)
        }
        if let m = negative(at: i) ?? signBeforeNumber(at: i) ?? vulgarFraction(at: i)
            ?? currencyCodeBeforeNumber(at: i)
        {
            return m
        }
        if let m = dateFormat(at: i) { return m }
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
}
