/// The normaliser's reading of web and e-mail addresses (see `Address` for what is said and what is not).
///
/// Each part is spoken in place of its own characters, and the word after it ("point", "arobase") is traced to
/// it too, so the marks move through an address part by part. A text that is only a web address is a link:
/// "lien vers" and its host. The rules are written down in docs/languages.md.
extension NormalizerScanner {
    /// Speaks the address at `i`, if one starts there; returns where it ends.
    mutating func address(at i: Int) -> Int? {
        guard let a = Address.parse(c, at: i) else { return nil }
        let link = a.kind == .web && isLink
        let parts = link ? Array(a.parts.prefix(a.hostParts)) : a.parts
        for (n, part) in parts.enumerated() {
            var said = n == 0 && link ? (fr ? "lien vers " : "رابط إلى ") : ""
            said += spoken(part)
            if n + 1 < parts.count { said += joinerWord(part.joiner) }
            result.replace(part.range, with: said)
        }
        return a.range.upperBound
    }

    /// What is said between a part and the next.
    func joinerWord(_ joiner: Address.Joiner) -> String {
        switch joiner {
        case .end, .space: " "
        case .dot: fr ? " point " : " نقطة "
        case .dash: fr ? " tiret " : " شرطة "
        case .underscore: fr ? " tiret bas " : " شرطة سفلية "
        case .at: fr ? " arobase " : " آت "
        case .segment: fr ? ", " : "، "
        }
    }

    /// A part as the voice says it: digits as a group (zeros said), an extension or an acronym spelled, a word as
    /// written (in Arabic, in Arabic letters as a French reader says it).
    func spoken(_ part: Address.Part) -> String {
        let text = String(String.UnicodeScalarView(c[part.range]))
        if text.hasPrefix("[[") { return text }
        if part.digits {
            var rest = Substring(text)
            var words: [String] = []
            while rest.count > 1, rest.first == "0" {
                words.append(zero)
                rest = rest.dropFirst()
            }
            return (words + [String(rest)]).joined(separator: " ")
        }
        let acronym = text.count >= 2 && text.count <= 4 && text.allSatisfy { $0.isUppercase }
        if part.spelled || acronym {
            return fr
                ? text.uppercased().map(String.init).joined(separator: " ") : LatinInArabic.spelled(text.lowercased())
        }
        return fr ? text.lowercased() : LatinInArabic.transliterate(text.lowercased())
    }
}

/// Latin words of an address said inside Arabic speech: in Arabic letters, as a French reader says them
/// (`idarati` → إداراتي, `service` → سيرفيس), so that the Arabic voice reads them without switching language;
/// a word without vowels is spelled with the French names of its letters (`cnss` → سي إن إس إس).
enum LatinInArabic {
    static let letterNames: [Character: String] = [
        "a": "آ", "b": "بي", "c": "سي", "d": "دي", "e": "أو", "f": "إف", "g": "جي", "h": "آش", "i": "إي", "j": "جي",
        "k": "كا", "l": "إل", "m": "إم", "n": "إن", "o": "أو", "p": "بي", "q": "كي", "r": "إر", "s": "إس", "t": "تي",
        "u": "يو", "v": "في", "w": "دوبل في", "x": "إكس", "y": "إيغريك", "z": "زيد",
    ]
    static let letters: [Character: String] = [
        "a": "ا", "à": "ا", "â": "ا", "b": "ب", "d": "د", "e": "ي", "é": "ي", "è": "ي", "ê": "ي", "ë": "ي", "f": "ف",
        "h": "", "i": "ي", "î": "ي", "ï": "ي", "j": "ج", "k": "ك", "l": "ل", "m": "م", "n": "ن", "o": "و", "ô": "و",
        "p": "ب", "q": "ق", "r": "ر", "s": "س", "t": "ت", "u": "و", "û": "و", "ù": "و", "v": "ف", "w": "و",
        "x": "كس", "y": "ي", "z": "ز", "ç": "س",
    ]
    /// Pairs of letters French says as one sound.
    static let pairs: [String: String] = [
        "ou": "و", "ch": "ش", "ph": "ف", "qu": "ك", "th": "ت", "gn": "ني", "ai": "ي", "ei": "ي", "au": "و",
        "oi": "وا",
    ]
    static let vowels = Set("aeiouyàâéèêëîïôûù")

    /// The letters of `word` by their French names, in Arabic letters.
    static func spelled(_ word: String) -> String {
        word.compactMap { letterNames[$0] }.joined(separator: " ")
    }

    /// `word` (lower case) in Arabic letters.
    static func transliterate(_ word: String) -> String {
        let w = Array(word)
        guard w.contains(where: { vowels.contains($0) }), w.count > 1 else { return spelled(word) }
        var out = ""
        var i = 0
        while i < w.count {
            let next: Character? = i + 1 < w.count ? w[i + 1] : nil
            // A doubled consonant is one sound; a final `e` is silent.
            if let next, next == w[i], !vowels.contains(w[i]) {
                i += 1
                continue
            }
            if w[i] == "e", next == nil, i > 0 {
                i += 1
                continue
            }
            if let next, let pair = pairs[String([w[i], next])] {
                out += pair
                i += 2
                continue
            }
            // Nasal vowels before a consonant or at the end: in, an, en, on.
            if "aeio".contains(w[i]), next == "n" || next == "m",
                i + 2 >= w.count || !vowels.contains(w[i + 2])
            {
                out += w[i] == "o" ? "ون" : "ان"
                i += 2
                continue
            }
            let soft = next.map { "eiyéèê".contains($0) } ?? false
            switch w[i] {
            case "c": out += soft ? "س" : "ك"
            case "g": out += soft ? "ج" : "غ"
            default: out += letters[w[i]] ?? ""
            }
            i += 1
        }
        // A word that starts with a vowel starts with a hamza: أ, أو, إ.
        guard let first = w.first, vowels.contains(first), first != "y" else { return out }
        switch out.first {
        case "ا": return "أ" + out.dropFirst()
        case "و": return "أ" + out
        case "ي": return "إ" + out.dropFirst()
        default: return out
        }
    }
}
