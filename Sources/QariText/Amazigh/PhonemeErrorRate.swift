/// Compares IPA transcriptions phoneme by phoneme, for measuring the Amazigh voices against linguists' cases.
///
/// Folding (../shared/amazigh/README.md and issue 5): vowel allophones æ ɑ ɐ → a, ɪ e → i, ʊ o → u; ʁ → ɣ; g → ɡ;
/// stress, syllable marks, spaces and combining diacritics are ignored; a doubled phoneme is a long one (mm = mː);
/// labialization ʷ counts as a following w, as eSpeak speaks it.
public enum PhonemeErrorRate {
    static let folds: [Character: String] = [
        "æ": "a", "ɑ": "a", "ɐ": "a", "ɪ": "i", "e": "i", "ʊ": "u", "o": "u", "ʁ": "ɣ", "g": "ɡ",
    ]
    static let ignored: Set<Character> = ["ˈ", "ˌ", ".", " ", "-", "\n", "\t", "‿"]
    static let modifiers: Set<Unicode.Scalar> = ["ˤ", "ː", "ʷ"]

    /// The phonemes of an IPA string, folded.
    public static func phonemes(_ ipa: String) -> [String] {
        var tokens: [(base: String, pharyngeal: Bool, long: Bool, labial: Bool)] = []
        for c in ipa.unicodeScalars {
            if (0x0300...0x036F).contains(c.value) { continue }
            if modifiers.contains(c) {
                guard !tokens.isEmpty else { continue }
                switch c {
                case "ˤ": tokens[tokens.count - 1].pharyngeal = true
                case "ː": tokens[tokens.count - 1].long = true
                default: tokens[tokens.count - 1].labial = true
                }
                continue
            }
            let ch = Character(c)
            if ignored.contains(ch) { continue }
            let base = folds[ch] ?? String(ch)
            // A doubled phoneme is one long phoneme.
            if let last = tokens.last, last.base == base, !last.long, !last.labial, !last.pharyngeal {
                tokens[tokens.count - 1].long = true
                continue
            }
            tokens.append((base, false, false, false))
        }
        var out: [String] = []
        for t in tokens {
            out.append(t.base + (t.pharyngeal ? "ˤ" : "") + (t.long ? "ː" : ""))
            if t.labial { out.append("w") }
        }
        return out
    }

    /// Substitutions, insertions and deletions that turn `expected` into `actual` (Levenshtein).
    public static func errors(expected: [String], actual: [String]) -> Int {
        var previous = Array(0...actual.count)
        for (i, e) in expected.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: actual.count)
            for (j, a) in actual.enumerated() {
                current[j + 1] = min(previous[j] + (e == a ? 0 : 1), previous[j + 1] + 1, current[j] + 1)
            }
            previous = current
        }
        return previous[actual.count]
    }

    /// One case of a linguists' file (the format of ../shared/amazigh/examples.json).
    public struct Case: Decodable, Sendable {
        public var tifinagh: String?
        public var latin: String?
        public var variety: String
        public var ipa: String
        public var ipaStatus: String?
        public var gloss: String?

        enum CodingKeys: String, CodingKey {
            case tifinagh, latin, variety, ipa, gloss
            case ipaStatus = "ipa_status"
        }
    }
}
