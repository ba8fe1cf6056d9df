/// Numbers in words, in French and in Arabic as Moroccan service text says them.
///
/// The voices are given digits for plain cardinals (eSpeak's own number rules say them, with the Arabic case
/// endings a word list could not restore); these words are for ordinals, fractions and `qari normalize`, which
/// shows a linguist what the voice says.
enum FrenchNumbers {
    static let units = [
        "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
        "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
    ]
    static let tens = [
        "", "", "vingt", "trente", "quarante", "cinquante", "soixante", "soixante", "quatre-vingt",
        "quatre-vingt",
    ]

    /// The cardinal in words (0 up to 999 milliards); negative numbers get "moins".
    static func cardinal(_ n: Int) -> String {
        if n < 0 { return "moins " + cardinal(-n) }
        if n < 20 { return units[n] }
        if n < 100 {
            let t = n / 10
            let u = n % 10
            if t == 7 || t == 9 {
                let rest = 10 + u
                return tens[t] + (t == 7 && u == 1 ? " et " : "-") + units[rest]
            }
            if u == 0 { return t == 8 ? "quatre-vingts" : tens[t] }
            return tens[t] + (u == 1 && t != 8 ? " et " : "-") + units[u]
        }
        if n < 1000 {
            let h = n / 100
            let r = n % 100
            let head = h == 1 ? "cent" : units[h] + " cent" + (r == 0 ? "s" : "")
            return r == 0 ? head : head + " " + cardinal(r)
        }
        if n < 1_000_000 {
            let k = n / 1000
            let r = n % 1000
            let head = k == 1 ? "mille" : invariable(cardinal(k)) + " mille"
            return r == 0 ? head : head + " " + cardinal(r)
        }
        for (size, one, many) in [(1_000_000_000, "milliard", "milliards"), (1_000_000, "million", "millions")]
        where n >= size {
            let m = n / size
            let r = n % size
            let head = cardinal(m) + " " + (m == 1 ? one : many)
            return r == 0 ? head : head + " " + cardinal(r)
        }
        return String(n)
    }

    /// "cents" and "quatre-vingts" lose their s before another number word ("deux cent mille").
    static func invariable(_ w: String) -> String {
        w.replacingSuffix("cents", with: "cent").replacingSuffix("quatre-vingts", with: "quatre-vingt")
    }

    /// The ordinal in words: premier/première, deuxième, vingt et unième, millième, un milliardième…
    static func ordinal(_ n: Int, feminine: Bool) -> String {
        if n == 1 { return feminine ? "première" : "premier" }
        var w = cardinal(n)
        if w.hasSuffix("quatre-vingts") || w.hasSuffix("cents") { w.removeLast() }
        if w.hasSuffix("cinq") { return w + "uième" }
        if w.hasSuffix("neuf") { return String(w.dropLast()) + "vième" }
        if w.hasSuffix("millions") || w.hasSuffix("milliards") { w.removeLast() }
        if w.hasSuffix("e") { w.removeLast() }
        return w + "ième"
    }

    /// A fraction's denominator: demi, tiers, quart, then the ordinal (cinquième…), plural after 2 and more.
    static func denominator(_ d: Int, plural: Bool) -> String {
        switch d {
        case 2: return plural ? "demis" : "demi"
        case 3: return "tiers"
        case 4: return plural ? "quarts" : "quart"
        default: return ordinal(d, feminine: false) + (plural ? "s" : "")
        }
    }
}

enum ArabicNumbers {
    static let units = [
        "صفر", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة",
    ]
    static let tens = ["", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
    /// The hundreds: مئة، مئتان، ثلاث مئة… (the feminine unit before مئة).
    static let hundreds = [
        "", "مئة", "مئتان", "ثلاث مئة", "أربع مئة", "خمس مئة", "ست مئة", "سبع مئة", "ثمان مئة", "تسع مئة",
    ]

    /// The cardinal in words, masculine (the counting form), parts joined by و; negative numbers get "ناقص".
    static func cardinal(_ n: Int) -> String {
        if n < 0 { return "ناقص " + cardinal(-n) }
        if n == 0 { return units[0] }
        var parts: [String] = []
        var rest = n
        for (size, one, two, plural) in [
            (1_000_000_000, "مليار", "ملياران", "ملايير"), (1_000_000, "مليون", "مليونان", "ملايين"),
            (1000, "ألف", "ألفان", "آلاف"),
        ] where rest >= size {
            let count = rest / size
            rest %= size
            switch count {
            case 1: parts.append(one)
            case 2: parts.append(two)
            case 3...10: parts.append(below1000(count) + " " + plural)
            default: parts.append(below1000(count) + " " + one)
            }
        }
        if rest > 0 { parts.append(below1000(rest)) }
        return parts.joined(separator: " و")
    }

    static func below1000(_ n: Int) -> String {
        var parts: [String] = []
        if n >= 100 { parts.append(hundreds[n / 100]) }
        let r = n % 100
        if r > 0 { parts.append(below100(r)) }
        return parts.joined(separator: " و")
    }

    static func below100(_ n: Int) -> String {
        if n <= 10 { return units[n] }
        if n == 11 { return "أحد عشر" }
        if n == 12 { return "اثنا عشر" }
        if n < 20 { return units[n - 10] + " عشر" }
        let u = n % 10
        return u == 0 ? tens[n / 10] : units[u] + " و" + tens[n / 10]
    }

    /// The fraction nouns: نصف، ثلث، ربع… (a half to a tenth), with their duals and plurals.
    static let fractionNames: [Int: (one: String, two: String, plural: String)] = [
        2: ("نصف", "نصفين", "أنصاف"), 3: ("ثلث", "ثلثين", "أثلاث"), 4: ("ربع", "ربعين", "أرباع"),
        5: ("خمس", "خمسين", "أخماس"), 6: ("سدس", "سدسين", "أسداس"), 7: ("سبع", "سبعين", "أسباع"),
        8: ("ثمن", "ثمنين", "أثمان"), 9: ("تسع", "تسعين", "أتساع"), 10: ("عشر", "عشرين", "أعشار"),
    ]

    /// `numerator/denominator` in words: ربع، ثلثين، ثلاثة أرباع; over a larger denominator, "واحد على ثلاث مئة".
    static func fraction(_ numerator: Int, _ denominator: Int) -> String {
        if let names = fractionNames[denominator], numerator >= 1, numerator <= 10 {
            switch numerator {
            case 1: return names.one
            case 2: return names.two
            default: return cardinal(numerator) + " " + names.plural
            }
        }
        return cardinal(numerator) + " على " + cardinal(denominator)
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}

/// The digits left in a normalised text, written out.
enum NumberWords {
    /// `spoken` with every run of digits in words of `language` (lexicon phonemes `[[…]]` left as they are).
    static func writtenOut(_ spoken: String, language: TextNormalizer.Language) -> String {
        let c = Array(spoken.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < c.count {
            if c[i] == "[", i + 1 < c.count, c[i + 1] == "[" {
                var j = i + 2
                while j + 1 < c.count, !(c[j] == "]" && c[j + 1] == "]") { j += 1 }
                let end = min(c.count, j + 2)
                out.append(contentsOf: c[i..<end])
                i = end
                continue
            }
            guard ("0"..."9").contains(c[i]) else {
                out.append(c[i])
                i += 1
                continue
            }
            var j = i
            while j < c.count, ("0"..."9").contains(c[j]) { j += 1 }
            let digits = String(String.UnicodeScalarView(c[i..<j]))
            // Beyond what a cardinal says (an account number), digit by digit.
            let words: String
            if digits.count > 12 || (digits.count > 1 && digits.hasPrefix("0")) {
                words = digits.map { d in cardinal(Int(String(d))!, language) }.joined(separator: " ")
            } else {
                words = cardinal(Int(digits)!, language)
            }
            out.append(contentsOf: words.unicodeScalars)
            i = j
        }
        return String(out)
    }

    static func cardinal(_ n: Int, _ language: TextNormalizer.Language) -> String {
        language == .french ? FrenchNumbers.cardinal(n) : ArabicNumbers.cardinal(n)
    }
}
