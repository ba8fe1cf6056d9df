/// The normaliser's rules for numbers, money, percentages, ordinals and ranges.
extension NormalizerScanner {
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
}
