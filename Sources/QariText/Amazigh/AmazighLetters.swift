/// The letters of IRCAM Tifinagh and IRCAM Latin, by one key per sound (the IRCAM Latin letter).
enum AmazighLetters {
    /// IRCAM Tifinagh, basic and extended set.
    static let tifinagh: [Unicode.Scalar: String] = [
        "ⴰ": "a", "ⴱ": "b", "ⴳ": "g", "ⴷ": "d", "ⴹ": "ḍ", "ⴻ": "e", "ⴼ": "f", "ⴽ": "k", "ⵀ": "h", "ⵃ": "ḥ",
        "ⵄ": "ɛ", "ⵅ": "x", "ⵇ": "q", "ⵉ": "i", "ⵊ": "j", "ⵍ": "l", "ⵎ": "m", "ⵏ": "n", "ⵓ": "u", "ⵔ": "r",
        "ⵕ": "ṛ", "ⵖ": "ɣ", "ⵙ": "s", "ⵚ": "ṣ", "ⵛ": "c", "ⵜ": "t", "ⵟ": "ṭ", "ⵡ": "w", "ⵢ": "y", "ⵣ": "z",
        "ⵥ": "ẓ",
        // Extended set (regional and foreign sounds).
        "ⴲ": "ḇ", "ⴴ": "ǥ", "ⴸ": "ḏ", "ⴺ": "ḏ̣", "ⴿ": "ḵ", "ⵒ": "p", "ⵝ": "ṯ", "ⵠ": "v",
    ]

    /// Tifinagh letters outside IRCAM's sets (Tuareg, Kabyle, older Berber Academy), read by their nearest IRCAM
    /// letter.
    static let nonIRCAM: [Unicode.Scalar: Unicode.Scalar] = [
        "ⴵ": "ⵊ", "ⴶ": "ⵊ", "ⴾ": "ⴽ", "ⵁ": "ⵀ", "ⵂ": "ⵀ", "ⵆ": "ⵅ", "ⵈ": "ⵇ", "ⵋ": "ⵊ", "ⵌ": "ⵊ", "ⵐ": "ⵏ",
        "ⵑ": "ⵏ", "ⵗ": "ⵖ", "ⵘ": "ⵖ", "ⵞ": "ⵛ", "ⵤ": "ⵣ", "ⵦ": "ⵉ", "ⵧ": "ⵓ",
    ]

    /// IRCAM Latin letters (lowercase, precomposed) and their Greek look-alikes.
    static let latin: [Unicode.Scalar: String] = {
        var map: [Unicode.Scalar: String] = [:]
        for key in [
            "a", "b", "g", "d", "ḍ", "e", "f", "k", "h", "ḥ", "ɛ", "x", "q", "i", "j", "l", "m", "n", "u",
            "r", "ṛ", "ɣ", "s", "ṣ", "c", "t", "ṭ", "w", "y", "z", "ẓ", "ḇ", "ǥ", "ḏ", "ḵ", "p", "ṯ", "v",
        ] {
            map[key.unicodeScalars.first!] = key
        }
        map["γ"] = "ɣ"
        map["ε"] = "ɛ"
        map["o"] = "u"
        return map
    }()

    /// Latin base letters that take a combining dot below (U+0323) to make an emphatic.
    static let dotBelow: [String: String] = ["d": "ḍ", "h": "ḥ", "r": "ṛ", "s": "ṣ", "t": "ṭ", "z": "ẓ", "ḏ": "ḏ̣"]

    /// Marks that say the consonant before them is labialized.
    static let labialization: Set<Unicode.Scalar> = ["ⵯ", "ʷ", "°"]

    /// Joiners that only ask for a ligature: dropped, the consonants stay adjacent.
    static let joiners: Set<Unicode.Scalar> = ["\u{2D7F}", "\u{200D}", "\u{200C}"]

    /// Whether `c` is a Tifinagh code point.
    static func isTifinagh(_ c: Unicode.Scalar) -> Bool { (0x2D30...0x2D7F).contains(c.value) }

    /// Whether `c` can be part of an Amazigh word.
    static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        if isTifinagh(c) { return c != "\u{2D70}" }
        if labialization.contains(c) || joiners.contains(c) || c == "\u{0323}" { return true }
        return latin[lowercase(c)] != nil || c.properties.isAlphabetic && c.value < 0x0250
    }

    static func lowercase(_ c: Unicode.Scalar) -> Unicode.Scalar {
        c.properties.lowercaseMapping.unicodeScalars.count == 1
            ? c.properties.lowercaseMapping.unicodeScalars.first!
            : c
    }

    /// Latin letters outside IRCAM (French accents and the like) by their base letter, if that one is IRCAM.
    static func latinBase(_ c: Unicode.Scalar) -> String? {
        let lower = lowercase(c)
        if let key = latin[lower] { return key }
        // Strip accents by the decomposition's first scalar (é → e, ç → c).
        let decomposed = String(lower).decomposedScalars
        if let base = decomposed.first, base != lower, let key = latin[base] { return key }
        return nil
    }
}

extension String {
    /// The canonical decomposition's scalars (NFD), without Foundation.
    var decomposedScalars: [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for c in unicodeScalars {
            if let d = Self.nfd[c] { out += d } else { out.append(c) }
        }
        return out
    }

    /// The few decompositions Latin Amazigh and French need.
    private static let nfd: [Unicode.Scalar: [Unicode.Scalar]] = {
        var map: [Unicode.Scalar: [Unicode.Scalar]] = [:]
        let pairs: [(String, String)] = [
            ("àâä", "a"), ("éèêë", "e"), ("îï", "i"), ("ôö", "o"), ("ùûü", "u"), ("ç", "c"), ("ÿ", "y"), ("ñ", "n"),
        ]
        for (accented, base) in pairs {
            for c in accented.unicodeScalars { map[c] = [base.unicodeScalars.first!, "\u{0301}"] }
        }
        return map
    }()
}
