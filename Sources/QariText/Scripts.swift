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
    public static let amazigh: Set<String> = ["zgh", "shi", "tzm", "rif", "kab", "tmz", "ber"]

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
