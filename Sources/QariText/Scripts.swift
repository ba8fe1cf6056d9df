/// The writing systems Qari tells apart: each needs its own voice.
public enum Script: Sendable, Equatable {
    case arabic, tifinagh, latin

    /// The script of a letter; nil for digits, punctuation, spaces, marks and symbols (they never switch voice).
    ///
    /// Latin includes the IRCAM Latin letters ɛ and ɣ and their Greek look-alikes ε and γ, which Amazigh texts
    /// written in Latin use. U+2D70 (Tifinagh separator mark) is punctuation.
    @inline(__always)
    public static func of(_ c: Unicode.Scalar) -> Script? {
        let v = c.value
        if v < 0x80 {
            return (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) ? .latin : nil
        }
        // The common Arabic letters without a property lookup (hot on Arabic pages).
        if (0x0621...0x063A).contains(v) || (0x0641...0x064A).contains(v) { return .arabic }
        if (0x2D30...0x2D7F).contains(v) { return v == 0x2D70 ? nil : .tifinagh }
        if (0x0600...0x06FF).contains(v) || (0x0750...0x077F).contains(v) || (0x08A0...0x08FF).contains(v)
            || (0xFB50...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v)
        {
            return c.properties.isAlphabetic ? .arabic : nil
        }
        if v == 0x025B || v == 0x0263 || v == 0x03B3 || v == 0x03B5 { return .latin }
        if c.properties.isAlphabetic && (v < 0x0250 || (0x1E00...0x1EFF).contains(v)) { return .latin }
        return nil
    }
}

/// Language tags as Qari reads them: which are Amazigh, which name another.
public enum Languages {
    /// Amazigh languages: Standard Moroccan (`zgh`), Tachelhit, Central Atlas, Tarifit, and the tags pages use
    /// for Amazigh in general (`ber`) or for other varieties (`kab`, `tmz`).
    public static let amazigh = Set(AmazighVariety.allCases.map(\.rawValue)).union(["kab", "tmz", "ber"])

    /// Tags that stand for another: `ber` (Berber) is read as Standard Moroccan Amazigh.
    public static let aliases = ["ber": "zgh", "tzm-tfng": "tzm"]

    /// The primary subtag of `tag`, lower-cased, with aliases resolved (`fr-MA` → `fr`, `BER` → `zgh`).
    public static func primary(_ tag: String) -> String {
        let key = tag.lowercased()
        if let alias = aliases[key] { return alias }
        let primary = key.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? key
        return aliases[primary] ?? primary
    }

    /// Whether `tag` is an Amazigh language.
    public static func isAmazigh(_ tag: String) -> Bool { amazigh.contains(primary(tag)) || amazigh.contains(tag) }
}

/// Where text changes language by its script: the one rule page passages and speech requests share.
public enum LanguageRuns {
    /// Latin words an Arabic reading says in Arabic (`20 DH` is "عشرون درهما", `CNIE` the card's Arabic name): the
    /// Arabic normaliser knows them, so they stay in the Arabic run.
    public static let latinReadInArabic: Set<String> = [
        "N", "CNIE", "CIN", "RC", "ICE", "TVA", "CNSS", "DH", "MAD", "AED", "aed", "USD", "EUR",
    ]
    /// Units written in Latin letters that an Arabic reading says in Arabic after a number (5 km, 20 m²).
    public static let latinUnitsReadInArabic: Set<String> = [
        "km", "kg", "m", "cm", "mm", "g", "mg", "l", "L", "ml", "cl", "ha", "t", "kW", "kWh", "MW", "Go", "Mo", "Ko",
        "h", "min",
    ]

    /// `scalars` of a text in language `lang`, cut where the script says another language: Arabic script → ar,
    /// Tifinagh → zgh (or `lang` when it is an Amazigh variety), Latin inside Arabic or Amazigh → fr (but the
    /// `latinReadInArabic` words in Arabic). Digits and punctuation stay with the text before them; an opening
    /// bracket or quote goes with the word after it.
    public static func split(_ scalars: [Unicode.Scalar], lang: String) -> [(Range<Int>, String)] {
        let isAmazigh = Languages.amazigh.contains(lang)
        let tifinagh = isAmazigh ? lang : "zgh"
        let latin = lang == "ar" || isAmazigh ? "fr" : lang
        // Latin words an Arabic reading keeps (marked once, word by word).
        var keptArabic = [Bool](repeating: false, count: scalars.count)
        if lang == "ar" {
            var i = 0
            while i < scalars.count {
                guard Script.of(scalars[i]) == .latin else {
                    i += 1
                    continue
                }
                // An address amid Arabic is read by the Arabic voice, its Latin parts in Arabic letters (the
                // normaliser's `LatinInArabic`): not joined by French words, and no switch of voice inside it. It
                // stays in the sentence around it, so that it is read as an address there, not as a link.
                if i == 0 || !Address.isWordChar(scalars[i - 1]), !latinBefore(i, in: scalars, keptArabic),
                    let found = Address.parse(scalars, at: i)
                {
                    for k in found.range { keptArabic[k] = true }
                    i = found.range.upperBound
                    continue
                }
                var j = i
                while j < scalars.count, Script.of(scalars[j]) == .latin { j += 1 }
                let word = String(String.UnicodeScalarView(scalars[i..<j]))
                let numero = word == "N" && j < scalars.count && (scalars[j] == "°" || scalars[j] == "º")
                var b = i
                while b > 0 && scalars[b - 1] == " " { b -= 1 }
                let unit =
                    latinUnitsReadInArabic.contains(word) && b > 0 && ("0"..."9").contains(scalars[b - 1])
                    || (word == "C" || word == "F") && i > 0 && scalars[i - 1] == "°"
                    // km/h: the unit after the slash goes with the one before it.
                    || word == "h" && i > 1 && scalars[i - 1] == "/" && keptArabic[i - 2]
                if word != "N" ? latinReadInArabic.contains(word) || unit : numero {
                    for k in i..<j { keptArabic[k] = true }
                }
                i = j
            }
        }
        func languageOf(_ k: Int) -> String? {
            switch Script.of(scalars[k]) {
            case .arabic: "ar"
            case .tifinagh: tifinagh
            case .latin: keptArabic[k] ? "ar" : latin
            case nil: nil
            }
        }
        var pieces: [(Range<Int>, String)] = []
        var start = 0
        var current: String?
        for i in scalars.indices {
            guard let l = languageOf(i) else { continue }
            if current == nil {
                current = l
            } else if l != current {
                // Cut before the word this letter begins (with digits glued to a Latin word: `5G`).
                var cut = i
                if l == latin && l != lang {
                    while cut > start && ("0"..."9").contains(scalars[cut - 1]) { cut -= 1 }
                }
                while cut > start && opensWord(scalars[cut - 1]) { cut -= 1 }
                pieces.append((start..<cut, current!))
                start = cut
                current = l
            }
        }
        pieces.append((start..<scalars.count, current ?? lang))
        return pieces.filter { !$0.0.isEmpty }
    }

    /// Whether the nearest letter before `k` is a Latin one read in French: an address after it is in a French
    /// sentence.
    static func latinBefore(_ k: Int, in scalars: [Unicode.Scalar], _ keptArabic: [Bool]) -> Bool {
        var b = k - 1
        while b >= 0 {
            if let script = Script.of(scalars[b]) { return script == .latin && !keptArabic[b] }
            b -= 1
        }
        return false
    }

    /// An opening bracket or quote goes with the word after it.
    static func opensWord(_ c: Unicode.Scalar) -> Bool {
        ["(", "[", "«", "\"", "'", "“", "‘"].contains(c)
    }
}

/// Whether `s` is an Arabic letter (one the diacritizer gives marks to).
public func isArabicLetter(_ s: Unicode.Scalar) -> Bool {
    (0x0620...0x064A).contains(s.value) || (0x066E...0x06D3).contains(s.value)
}
