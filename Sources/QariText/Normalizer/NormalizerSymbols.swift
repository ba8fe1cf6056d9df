/// The normaliser's rules for what others write around numbers and between words: symbols, fractions, signs,
/// foreign money, measures, degrees, lists of days, and French liaison after a number that ends its noun group.
///
/// Every symbol is spoken in the passage's language or left silent: a symbol eSpeak has no name for in a voice
/// is otherwise read by its English rules ("slash", "hash") in the middle of Arabic.
extension NormalizerScanner {
    /// What a symbol says: French, Arabic; an empty word is a silence (a space).
    typealias Said = (fr: String, ar: String)

    static let symbols: [Unicode.Scalar: Said] = [
        "&": ("et", "و"), "+": ("plus", "زائد"), "=": ("égale", "يساوي"), "±": ("plus ou moins", "زائد أو ناقص"),
        "÷": ("divisé par", "مقسوم على"), "§": ("paragraphe", "الفقرة"), "¶": ("paragraphe", "الفقرة"),
        "№": ("numéro", "رقم"), "≠": ("différent de", "لا يساوي"),
    ].merging(percentWords) { a, _ in a }
    /// Said only between two numbers (`3 × 4`, `2*3`); elsewhere silent.
    static let operators: [Unicode.Scalar: Said] = ["×": ("fois", "ضرب"), "*": ("fois", "ضرب"), "x": ("fois", "ضرب")]
    /// Said only before a number (`#3`, `~5`, `@…` is an address's); elsewhere silent.
    static let beforeNumber: [Unicode.Scalar: Said] = [
        "#": ("numéro", "رقم"), "~": ("environ", "حوالي"), "≈": ("environ", "حوالي"),
        "≤": ("inférieur ou égal à", "أقل من أو يساوي"), "≥": ("supérieur ou égal à", "أكبر من أو يساوي"),
        "<": ("moins de", "أقل من"), ">": ("plus de", "أكثر من"),
    ]
    /// Arrows and list marks: a pause, as a reader makes one.
    static let pauses: Set<Unicode.Scalar> = ["→", "⇒", "➔", "➜", "➝", "⟶", "←", "⇐", "↦"]

    static let percentWords: [Unicode.Scalar: Said] = [
        "%": ("pour cent", "في المائة"), "٪": ("pour cent", "في المائة"), "‰": ("pour mille", "في الألف"),
    ]

    /// A currency's name, one and many, in French and Arabic, and its hundredth.
    struct Currency: Sendable {
        var fr: (one: String, many: String)
        var ar: String
        var cents: Bool
    }
    static let dollar = Currency(fr: ("dollar", "dollars"), ar: "دولار", cents: true)
    static let euro = Currency(fr: ("euro", "euros"), ar: "يورو", cents: true)
    static let pound = Currency(fr: ("livre", "livres"), ar: "جنيه", cents: false)
    static let foreignCurrencies: [Unicode.Scalar: Currency] = ["$": dollar, "€": euro, "£": pound]
    /// Written names of foreign money after a number.
    static let foreignCurrencyNames: [(String, Currency)] = [
        ("USD", dollar), ("EUR", euro), ("euros", euro), ("euro", euro), ("dollars", dollar), ("dollar", dollar),
        ("د.ك", Currency(fr: ("dinar koweïtien", "dinars koweïtiens"), ar: "دينار كويتي", cents: false)),
        ("ر.س", Currency(fr: ("riyal saoudien", "riyals saoudiens"), ar: "ريال سعودي", cents: false)),
        ("AED", Currency(fr: ("dirham émirati", "dirhams émiratis"), ar: "درهم إماراتي", cents: false)),
    ]

    /// Units of measure after a number: the written forms, and the French singular/plural and Arabic names.
    static let units: [(String, fr: (String, String), ar: String)] = [
        ("km²", ("kilomètre carré", "kilomètres carrés"), "كيلومتر مربع"),
        ("km2", ("kilomètre carré", "kilomètres carrés"), "كيلومتر مربع"),
        ("km/h", ("kilomètre heure", "kilomètres heure"), "كيلومتر في الساعة"),
        ("m²", ("mètre carré", "mètres carrés"), "متر مربع"), ("m2", ("mètre carré", "mètres carrés"), "متر مربع"),
        ("m³", ("mètre cube", "mètres cubes"), "متر مكعب"), ("m3", ("mètre cube", "mètres cubes"), "متر مكعب"),
        ("cm²", ("centimètre carré", "centimètres carrés"), "سنتيمتر مربع"),
        ("kWh", ("kilowattheure", "kilowattheures"), "كيلوواط ساعة"), ("kW", ("kilowatt", "kilowatts"), "كيلوواط"),
        ("MW", ("mégawatt", "mégawatts"), "ميغاواط"), ("km", ("kilomètre", "kilomètres"), "كيلومتر"),
        ("kg", ("kilogramme", "kilogrammes"), "كيلوغرام"), ("cm", ("centimètre", "centimètres"), "سنتيمتر"),
        ("mm", ("millimètre", "millimètres"), "مليمتر"), ("mg", ("milligramme", "milligrammes"), "مليغرام"),
        ("ml", ("millilitre", "millilitres"), "مليلتر"), ("cl", ("centilitre", "centilitres"), "سنتيلتر"),
        ("ha", ("hectare", "hectares"), "هكتار"), ("Go", ("gigaoctet", "gigaoctets"), "جيغابايت"),
        ("Mo", ("mégaoctet", "mégaoctets"), "ميغابايت"), ("Ko", ("kilooctet", "kilooctets"), "كيلوبايت"),
        ("min", ("minute", "minutes"), "دقيقة"), ("h", ("heure", "heures"), "ساعة"),
        ("g", ("gramme", "grammes"), "غرام"), ("m", ("mètre", "mètres"), "متر"), ("l", ("litre", "litres"), "لتر"),
        ("L", ("litre", "litres"), "لتر"), ("t", ("tonne", "tonnes"), "طن"),
        // Written in Arabic.
        ("كلم²", ("kilomètre carré", "kilomètres carrés"), "كيلومتر مربع"),
        ("كلم", ("kilomètre", "kilomètres"), "كيلومتر"), ("كم", ("kilomètre", "kilomètres"), "كيلومتر"),
        ("كلغ", ("kilogramme", "kilogrammes"), "كيلوغرام"), ("كغ", ("kilogramme", "kilogrammes"), "كيلوغرام"),
        ("م²", ("mètre carré", "mètres carrés"), "متر مربع"), ("م³", ("mètre cube", "mètres cubes"), "متر مكعب"),
        ("سم", ("centimètre", "centimètres"), "سنتيمتر"), ("مم", ("millimètre", "millimètres"), "مليمتر"),
    ]

    /// Unicode's fractions (½, ¾…), as numerator and denominator.
    static let vulgarFractions: [Unicode.Scalar: (Int, Int)] = [
        "½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5), "⅗": (3, 5),
        "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8), "⅐": (1, 7),
        "⅑": (1, 9), "⅒": (1, 10),
    ]

    // MARK: - Symbols between words

    /// A symbol where no number rule took it: said in the passage's language, a pause, or silent.
    func symbol(at k: Int) -> (Int, String)? {
        let s = c[k]
        if s.isASCII, s.properties.isAlphabetic || isDigit(k) || s == " " || s == "." || s == "," || s == "-" {
            // The common case, quickly; only a lone `x` between numbers is an operator.
            guard s == "x", numberBefore(k), numberAfter(k + 1), !isLetter(k - 1), !isLetter(k + 1) else { return nil }
        }
        if let said = Self.operators[s] {
            guard numberBefore(k), numberAfter(k + 1) else { return (k + 1, " ") }
            return (k + 1, spaced(k, fr ? said.fr : said.ar))
        }
        guard !s.properties.isAlphabetic, !isDigit(k) else { return nil }
        if s == "/" {
            // و/أو, et/ou, 2024/2025: the slash is not said (dates, fractions and identifiers were read before).
            return (k + 1, " ")
        }
        if let said = Self.beforeNumber[s] {
            return (k + 1, spaced(k, numberAfter(k + 1) ? fr ? said.fr : said.ar : ""))
        }
        if let said = Self.symbols[s] { return (k + 1, spaced(k, fr ? said.fr : said.ar)) }
        if s == "@" { return (k + 1, spaced(k, fr ? "arobase" : "آت")) }
        if Self.pauses.contains(s) { return (k + 1, k > 0 && isSpace(k - 1) ? (fr ? "," : "،") : (fr ? ", " : "، ")) }
        if s == "°" || Self.isUnsaid(s) { return (k + 1, " ") }
        return nil
    }

    /// Marks with nothing to say in any voice: bullets, stars, ticks, box drawing, emoji, ©, ™, `\`, `_`, `|`, `^`.
    static func isUnsaid(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .mathSymbol, .otherSymbol, .modifierSymbol: true
        default: ["_", "\\", "•", "·", "‣", "⁃", "†", "‡"].contains(s)
        }
    }

    /// `word` in place of the symbol at `k`, with a space on each side where the text has none (a silence: a space).
    func spaced(_ k: Int, _ word: String) -> String {
        if word.isEmpty { return " " }
        let before = k > 0 && !isSpace(k - 1) && c[k - 1] != "\n" ? " " : ""
        let after = k + 1 < c.count && !isSpace(k + 1) && c[k + 1] != "\n" ? " " : ""
        return before + word + after
    }

    /// A number (digits, possibly after spaces) ends just before `k`.
    func numberBefore(_ k: Int) -> Bool {
        var j = k
        while j > 0 && isSpace(j - 1) { j -= 1 }
        return j > 0 && isDigit(j - 1)
    }

    /// A number starts at `k` (after spaces).
    func numberAfter(_ k: Int) -> Bool { isDigit(skipSpaces(k)) }

    // MARK: - Signs before a number

    /// `-60`, `−4 1/3`: a minus at a word's start before digits.
    func negative(at k: Int) -> (Int, String)? {
        guard c[k] == "-" || c[k] == "−", isDigit(k + 1),
            k == 0 || isSpace(k - 1) || c[k - 1] == "(" || c[k - 1] == "\n"
        else { return nil }
        guard let (end, spoken) = number(at: k + 1) else { return nil }
        return (end, (fr ? "moins " : "ناقص ") + spoken)
    }

    /// `%15` (Arabic keeps the sign before the digits), `$7`, `€9`.
    func signBeforeNumber(at k: Int) -> (Int, String)? {
        let sign = c[k]
        let j = skipSpaces(k + 1)
        guard isDigit(j), !numberBefore(k), let (integer, fraction, end) = parseNumber(at: j) else { return nil }
        let value = Int(integer.prefix(15)) ?? 0
        if let word = Self.percentWords[sign] {
            return (end, spokenDecimal(String(value), fraction) + " " + (fr ? word.fr : word.ar))
        }
        if let currency = Self.foreignCurrencies[sign] { return (end, foreignMoney(value, fraction, currency)) }
        return nil
    }

    /// `AED1.2`, `aed 5`: a currency's code before the number.
    func foreignCurrencyWord(at k: Int) -> (Int, Currency)? {
        for (word, currency) in Self.foreignCurrencyNames {
            if let e = literal(word, at: k), atWordEnd(e) || isDigit(e) { return (e, currency) }
        }
        return nil
    }

    /// Money in a currency other than the dirham: the units, then the hundredths (cents) if the currency has them.
    func foreignMoney(_ value: Int, _ fraction: String?, _ currency: Currency) -> String {
        var cents = 0
        var whole = String(value)
        if !currency.cents {
            whole = spokenDecimal(whole, fraction)
        } else if let fraction, let f = Int(fraction.prefix(2)) {
            cents = fraction.count == 1 ? f * 10 : f
        }
        let main: String
        let hundredth: String
        if fr {
            main = "\(whole) " + (value >= 2 ? currency.fr.many : currency.fr.one)
            hundredth = cents == 1 ? "1 cent" : "\(cents) cents"
        } else {
            main = whole == "1" ? "\(currency.ar) واحد" : "\(whole) \(currency.ar)"
            hundredth = Self.arabicCounted(
                cents, one: "سنت واحد", two: "سنتان", few: "سنتات", many: "سنت", other: "سنت")
        }
        if cents == 0 { return main }
        return value == 0 ? hundredth : fr ? "\(main) et \(hundredth)" : "\(main) و\(hundredth)"
    }

    /// `AED 5`, `USD 1.2`: a currency's code before the number.
    func currencyCodeBeforeNumber(at k: Int) -> (Int, String)? {
        guard let (e, currency) = foreignCurrencyWord(at: k), isDigit(skipSpaces(e)),
            let (integer, fraction, end) = parseNumber(at: skipSpaces(e)), atWordEnd(end)
        else { return nil }
        return (end, foreignMoney(Int(integer.prefix(15)) ?? 0, fraction, currency))
    }

    /// `Nᵒ 5`, `No 5`: the number sign.
    func numero(at k: Int) -> (Int, String)? {
        guard let e = literal("No", at: k, caseSensitive: true), isSpace(e) || isDigit(e), isDigit(skipSpaces(e))
        else { return nil }
        return (e, fr ? "numéro" : "رقم")
    }

    // MARK: - Degrees, fractions, lists of days

    /// `25°C`, `-60 °` (degrees), `6° les pièces` at the head of a list item (an ordinal: sixième).
    func degrees(_ value: Int, _ fraction: String?, at k: Int, end: Int) -> (Int, String) {
        var e = skipSpaces(end) + 1
        let after = skipSpaces(e)
        var scale = ""
        if after < c.count, c[after] == "C" || c[after] == "F", atWordEnd(after + 1) {
            scale = c[after] == "C" ? (fr ? " Celsius" : " مئوية") : (fr ? " Fahrenheit" : " فهرنهايت")
            e = after + 1
        }
        if scale.isEmpty, fraction == nil, fr, value > 0, headsListItem(k) {
            return (e, FrenchNumbers.ordinal(value, feminine: false))
        }
        let number = spokenDecimal(String(value), fraction)
        if fr { return (e, number + (value >= 2 ? " degrés" : " degré") + scale) }
        return (e, number + " درجة" + scale)
    }

    /// The number at `k` opens a line or a list item (after a bullet, a colon or a semicolon).
    func headsListItem(_ k: Int) -> Bool {
        var j = k
        while j > 0, isSpace(j - 1) || c[j - 1] == "\t" || c[j - 1] == "•" || c[j - 1] == "-" || c[j - 1] == "–" {
            j -= 1
        }
        return j == 0 || c[j - 1] == "\n" || c[j - 1] == ":" || c[j - 1] == ";" || c[j - 1] == "\u{2029}"
    }

    /// After a number that ends at `end`: `/` and another number. A fraction (3/4, 1 1/2 when `k` holds the whole
    /// number before it), or two numbers a slash separates (2024/2025, 12/37).
    func slash(_ value: Int, at k: Int, end: Int) -> (Int, String)? {
        // A whole number, a space, then a fraction: un et demi, واحد ونصف.
        let j = skipSpaces(end)
        if j > end, let (n, d, e) = simpleFraction(at: j), n < d || d <= 10 {
            // French says "et demi" after a whole number (un et demi), "et un tiers" otherwise.
            let part = fr && n == 1 && d == 2 ? "demi" : fractionWords(n, d)
            return (e, fr ? "\(FrenchNumbers.cardinal(value)) et \(part)" : "\(value) و\(part)")
        }
        guard end < c.count, c[end] == "/", let (n, d, e) = simpleFraction(at: k) else { return nil }
        // A fraction: a proper one (3/4, 1/387), or an improper one of small numbers written plainly (9/3, 10/5).
        let denominator = String(String.UnicodeScalarView(c[(end + 1)..<e]))
        if d >= 2, d <= 1000, n < 1000, n < d || (d <= 10 && n <= 10 && !denominator.hasPrefix("0")) {
            return (e, fractionWords(n, d))
        }
        // A day and a month (14/02, 17/3), said as a date.
        if (1...31).contains(n), (1...12).contains(d) {
            return (
                e,
                fr
                    ? "\(n == 1 ? "premier" : String(n)) \(Self.frenchMonths[d - 1])"
                    : "\(n) \(Self.arabicMonths[d - 1])"
            )
        }
        // Two numbers a slash separates (2024/2025): both said, the slash not.
        return (e, "\(n) \(d)")
    }

    /// `n/d` at `k`: digits, a slash, digits, ending a word.
    func simpleFraction(at k: Int) -> (Int, Int, Int)? {
        guard let (a, e1) = digits(at: k, max: 6), e1 < c.count, c[e1] == "/", let (b, e2) = digits(at: e1 + 1, max: 6),
            atWordEnd(e2) || (e2 < c.count && !isLetter(e2)), !(e2 < c.count && c[e2] == "/"),
            !(e2 + 1 < c.count && (c[e2] == "." || c[e2] == ",") && isDigit(e2 + 1))
        else { return nil }
        return (Int(a)!, Int(b)!, e2)
    }

    /// A fraction in words: un demi, trois quarts, deux neuvièmes, dix-sept sur trente; ربع، ثلاثة أرباع.
    func fractionWords(_ n: Int, _ d: Int) -> String {
        if !fr { return ArabicNumbers.fraction(n, d) }
        if d <= 10 || n < 2 {
            return "\(FrenchNumbers.cardinal(n)) \(FrenchNumbers.denominator(d, plural: n >= 2))"
        }
        return "\(FrenchNumbers.cardinal(n)) sur \(FrenchNumbers.cardinal(d))"
    }

    /// `½`, `3¾`: Unicode's fractions.
    func vulgarFraction(at k: Int) -> (Int, String)? {
        guard let (n, d) = Self.vulgarFractions[c[k]] else { return nil }
        return (k + 1, fractionWords(n, d))
    }

    /// `les 17/18 juin`, `les 17-18-19 juin 2025`: days of one month, each said, the separators not.
    func dayList(at k: Int) -> (Int, String)? {
        var days: [Int] = []
        var j = k
        // A week's days at most: a longer chain is not a list of days (and is not walked again from each number).
        while days.count < 8, let (d, e) = digits(at: j, max: 2), let day = Int(d), (1...31).contains(day) {
            days.append(day)
            j = e
            guard e + 1 < c.count, c[e] == "/" || c[e] == "-", isDigit(e + 1) else { break }
            j = e + 1
        }
        guard days.count >= 2, !isDigit(j), isSpace(j) else { return nil }
        let month = skipSpaces(j)
        let months = fr ? Self.frenchMonths : Self.arabicMonths
        guard months.contains(where: { literal($0, at: month) != nil }) else { return nil }
        return (j, days.map(String.init).joined(separator: fr ? " " : " و"))
    }

    /// `17.06` in French: a day and a month (a French decimal takes a comma; a version or a law number is read
    /// by the identifier rule before this).
    func dayMonth(at k: Int) -> (Int, String)? {
        guard fr, let (d, e1) = digits(at: k, max: 2), e1 + 2 < c.count, c[e1] == ".",
            let (m, e2) = digits(at: e1 + 1, max: 2), m.count == 2, atWordEnd(e2),
            !(e2 + 1 < c.count && (c[e2] == "." || c[e2] == ",") && isDigit(e2 + 1)),
            let day = Int(d), let month = Int(m), (1...31).contains(day), (1...12).contains(month),
            currency(at: skipSpaces(e2)) == nil, unit(at: skipSpaces(e2), value: 2, fraction: nil) == nil,
            !(skipSpaces(e2) < c.count && Self.percentWords[c[skipSpaces(e2)]] != nil)
        else { return nil }
        return (e2, "\(day == 1 ? "premier" : String(day)) \(Self.frenchMonths[month - 1])")
    }

    /// `les 80s`, `les années 90`, `the 1980s`: a decade, in French "les années quatre-vingt".
    func decade(at k: Int) -> (Int, String)? {
        guard fr, let (d, e) = digits(at: k, max: 4), d.count == 2 || d.count == 4, d.hasSuffix("0"),
            let s = literal("s", at: e, caseSensitive: true), atWordEnd(s)
        else { return nil }
        let value = Int(d.suffix(2))!
        let words = value == 80 ? "quatre-vingt" : FrenchNumbers.cardinal(value)
        let before = wordBefore(k)?.0
        return (s, (before == "les" || before == "des" || before == "aux" ? "années " : "les années ") + words)
    }

    // MARK: - Measures

    /// A unit of measure at `k` (after a number), in the passage's language.
    func unit(at k: Int, value: Int, fraction: String?) -> (Int, String)? {
        for (written, french, arabic) in Self.units {
            guard let e = literal(written, at: k, caseSensitive: true),
                atWordEnd(e) || c[e - 1] == "²" || c[e - 1] == "³"
            else { continue }
            // Not a unit before an apostrophe (`5 l'ont`, `3 m'a`): a word elided.
            if e < c.count, c[e] == "'" || c[e] == "’" { continue }
            if !fr { return (e, arabic) }
            return (e, value >= 2 ? french.1 : french.0)
        }
        return nil
    }

    // MARK: - French liaison

    /// French: `Mohammed VI a présidé`, `il en a 6 à payer`: a number that ends its noun group makes no liaison
    /// ([sis a], not [siz a]). eSpeak makes one after deux, trois, six, dix, vingt and cent before a vowel, so the
    /// number's last word is given as its phonemes. `always`: a regnal numeral, which ends its group whatever
    /// follows; otherwise only before a verb or a preposition.
    func withoutLiaison(_ value: Int, at end: Int, always: Bool = false) -> String? {
        guard fr, value > 1 else { return nil }
        let next = skipSpaces(end)
        guard next > end, next < c.count else { return nil }
        var w = next
        while w < c.count, isLetter(w) { w += 1 }
        let word = String(String.UnicodeScalarView(c[next..<w])).lowercased()
        guard let first = word.unicodeScalars.first, "aàâeéèêiîoôuûhy".unicodeScalars.contains(first),
            always || Self.noLiaisonAfterNumber.contains(word)
        else { return nil }
        // Between two numbers (dix à quinze, deux ou trois) French links them: eSpeak's liaison stays.
        if !always, numberAfter(w) { return nil }
        let words = FrenchNumbers.cardinal(value)
        for (last, phonemes) in Self.liaisonWords where words.hasSuffix(last) {
            let head = String(words.dropLast(last.count)).trimmingCharacters(in: .whitespaces)
            return (head.isEmpty ? "" : head + " ") + "[[\(phonemes)]]"
        }
        return nil
    }

    /// The number words eSpeak links to a vowel, and their phonemes said alone.
    static let liaisonWords: [(String, String)] = [
        ("quatre-vingts", "katr@v'E~"), ("deux", "d'Y"), ("trois", "trw'a"), ("six", "s'is"), ("dix", "d'is"),
        ("vingt", "v'E~"), ("cents", "s'A~"), ("cent", "s'A~"), ("neuf", "n'9f"),
    ]
    /// Words a number does not link to: verbs, prepositions, conjunctions, pronouns.
    static let noLiaisonAfterNumber: Set<String> = [
        "a", "à", "au", "aux", "avec", "après", "avant", "est", "et", "ou", "en", "il", "elle", "ils", "elles", "on",
        "ont", "sont", "était", "étaient", "y", "afin", "entre", "auprès", "ainsi", "au-delà",
    ]
}

/// Superscript letters as the letters they abbreviate: Mᵐᵉ → Mme, 1ᵉʳ → 1er, Nᵒ → No.
enum Superscripts {
    static let letters: [Unicode.Scalar: Unicode.Scalar] = [
        "ᵃ": "a", "ᵇ": "b", "ᶜ": "c", "ᵈ": "d", "ᵉ": "e", "ᶠ": "f", "ᵍ": "g", "ʰ": "h", "ⁱ": "i", "ʲ": "j", "ᵏ": "k",
        "ˡ": "l", "ᵐ": "m", "ⁿ": "n", "ᵒ": "o", "ᵖ": "p", "ʳ": "r", "ˢ": "s", "ᵗ": "t", "ᵘ": "u", "ᵛ": "v", "ʷ": "w",
        "ˣ": "x", "ʸ": "y", "ᶻ": "z",
    ]

    /// The text with superscript letters after a letter or a digit made plain; nil when it has none.
    static func fold(_ text: String) -> SpokenText? {
        guard text.unicodeScalars.contains(where: { letters[$0] != nil }) else { return nil }
        var result = SpokenText(original: text)
        let c = result.original
        for i in c.indices {
            if let plain = letters[c[i]], i > 0,
                c[i - 1].properties.isAlphabetic || c[i - 1].properties.numericType != nil
            {
                result.replace(i..<i + 1, with: String(plain))
            } else {
                result.copy(i..<i + 1)
            }
        }
        return result
    }
}
