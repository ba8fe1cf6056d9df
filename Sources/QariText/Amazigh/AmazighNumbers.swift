/// Numbers and dates in Amazigh text, written out in IRCAM Latin for the grapheme-to-phoneme front end.
///
/// 1–19 are read in Amazigh (ⵢⴰⵏ … ⵎⵔⴰⵡ, 11–19 as "unit d mraw"); from 20 up, in Moroccan Arabic numerals as
/// Amazigh speakers commonly say them (../shared/amazigh/README.md §5), spoken with the Amazigh voice.
public enum AmazighNumbers {
    static let amazigh = ["", "yan", "sin", "kṛaḍ", "kkuẓ", "smmus", "ṣḍiṣ", "sa", "tam", "tẓa", "mraw"]
    static let darijaUnits = ["", "waḥd", "juj", "tlata", "rbɛa", "xmsa", "stta", "sbɛa", "tmnya", "tsɛud", "ɛcra"]
    static let darijaTeens = [
        "ḥḍac", "tnac", "tlṭac", "rbɛṭac", "xmsṭac", "sṭṭac", "sbɛṭac", "tmnṭac", "tsɛṭac",
    ]
    static let darijaTens = ["", "", "ɛcrin", "tlatin", "rbɛin", "xmsin", "sttin", "sbɛin", "tmanin", "tsɛin"]
    /// Short forms before mya (100) and alaf (1000).
    static let darijaCounted = ["", "", "", "tlt", "rbɛ", "xms", "stt", "sbɛ", "tmn", "tsɛ", "ɛcr"]

    /// Gregorian month names (CLDR zgh), January first.
    public static let months = [
        "ⵉⵏⵏⴰⵢⵔ", "ⴱⵕⴰⵢⵕ", "ⵎⴰⵕⵚ", "ⵉⴱⵔⵉⵔ", "ⵎⴰⵢⵢⵓ", "ⵢⵓⵏⵢⵓ", "ⵢⵓⵍⵢⵓⵣ", "ⵖⵓⵛⵜ", "ⵛⵓⵜⴰⵏⴱⵉⵔ", "ⴽⵜⵓⴱⵔ", "ⵏⵓⵡⴰⵏⴱⵉⵔ",
        "ⴷⵓⵊⴰⵏⴱⵉⵔ",
    ]

    /// `n` in words: Amazigh up to 19, Moroccan Arabic numerals from 20.
    public static func words(_ n: Int) -> String {
        switch n {
        case 0: "ṣifr"
        case 1...10: amazigh[n]
        case 11...19: "\(amazigh[n - 10]) d mraw"
        default: darija(n)
        }
    }

    static func darija(_ n: Int) -> String {
        var parts: [String] = []
        var rest = n
        for (scale, one, two, plural) in [
            (1_000_000_000, "mlyar", "juj mlyarat", "mlyarat"), (1_000_000, "mlyun", "juj mlayn", "mlayn"),
            (1000, "alf", "alfayn", "alaf"),
        ] {
            let count = rest / scale
            rest %= scale
            switch count {
            case 0: break
            case 1: parts.append(one)
            case 2: parts.append(two)
            case 3...10: parts.append("\(darijaCounted[count]) \(plural)")
            default: parts.append("\(darija(count)) \(one)")
            }
        }
        let hundreds = rest / 100
        rest %= 100
        switch hundreds {
        case 0: break
        case 1: parts.append("mya")
        case 2: parts.append("mitin")
        default: parts.append("\(darijaCounted[hundreds]) mya")
        }
        switch rest {
        case 0: break
        case 1...10: parts.append(darijaUnits[rest])
        case 11...19: parts.append(darijaTeens[rest - 11])
        default:
            let unit = rest % 10
            parts.append(unit == 0 ? darijaTens[rest / 10] : "\(darijaUnits[unit]) u \(darijaTens[rest / 10])")
        }
        return parts.isEmpty ? "ṣifr" : parts.joined(separator: " u ")
    }

    /// A digit string (ASCII or Arabic-Indic) in words; nil if it is not a number Qari reads whole.
    static func words(digits: String) -> String? {
        let ascii = String(
            digits.unicodeScalars.map { c -> Character in
                if (0x0660...0x0669).contains(c.value) { return Character(Unicode.Scalar(c.value - 0x0660 + 48)!) }
                return Character(c)
            })
        guard ascii.count <= 12, let n = Int(ascii) else {
            return digits.unicodeScalars.compactMap { Int(String($0)) }.map(words).joined(separator: " ")
        }
        // Leading zeros are read out (an account or file number).
        let zeros = ascii.prefix { $0 == "0" }.count
        if zeros > 0 && ascii.count > 1 {
            return (Array(repeating: "ṣifr", count: zeros) + (n > 0 ? [words(n)] : [])).joined(separator: " ")
        }
        return words(n)
    }
}
