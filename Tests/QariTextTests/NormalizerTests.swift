import Testing

@testable import QariText

/// Each case: what the portal writes, and what eSpeak must be given to say it as people do.
@Suite struct NormalizerTests {
    static func spoken(_ text: String, _ language: TextNormalizer.Language) -> String {
        TextNormalizer.normalize(text, language: language).spokenString
    }

    @Test(arguments: [
        // dates
        ("Déposé le 14/02/2025.", "Déposé le 14 février 2025."),
        ("le 2025-02-14", "le 14 février 2025"),
        ("le 01.03.2024", "le premier mars 2024"),
        ("le 14 février 2025", "le 14 février 2025"),
        ("le 1 février 2025", "le premier février 2025"),
        // times and ranges of times
        ("ouvert à 09h00", "ouvert à 9 heures"),
        ("à 16:30", "à 16 heures 30"),
        ("de 9h30", "de 9 heures 30"),
        ("8h–16h", "de 8 heures à 16 heures"),
        ("09:00 - 16:30", "de 9 heures à 16 heures 30"),
        // money
        ("20 DH", "20 dirhams"),
        ("20,00 dhs", "20 dirhams"),
        ("1 500,00 MAD", "1500 dirhams"),
        ("12,50 DH", "12 dirhams et 50 centimes"),
        ("1 DH", "un dirham"),
        // percentages and the decimal comma
        ("15 %", "15 pour cent"),
        ("2,5%", "2 virgule 5 pour cent"),
        ("3,05 kg", "3 virgule zéro 5 kilogrammes"),
        // phone numbers, in pairs
        ("Tél. : 05 37 00 00 00", "téléphone : zéro 5, 37, zéro zéro, zéro zéro, zéro zéro"),
        ("0537-000000", "zéro 5, 37, zéro zéro, zéro zéro, zéro zéro"),
        ("+212 6 61 23 45 67", "zéro 6, 61, 23, 45, 67"),
        // ordinals
        ("le 1er étage", "le premier étage"),
        ("la 1re fois", "la première fois"),
        ("le 2e guichet", "le deuxième guichet"),
        ("la 3ème", "la troisième"),
        ("le 21e siècle", "le vingt et unième siècle"),
        ("les 9es", "les neuvièmes"),
        // ranges
        ("10-15 jours", "de 10 à 15 jours"),
        ("entre 10-15 jours", "entre 10 et 15 jours"),
        ("de 9h à 12h", "de 9 heures à 12 heures"),
        ("10 à 15 jours", "10 à 15 jours"),
        // abbreviations
        ("N° 3", "numéro 3"),
        ("art. 65", "article 65"),
        ("votre CNIE", "votre C N I E"),
        ("la CIN, le RC, l'ICE et la TVA", "la C I N, le R C, l'I C E et la T V A"),
        // URLs and e-mail
        ("sur www.watiqa.ma.", "sur watiqa point ma."),
        ("https://www.service-public.ma/fr", "lien vers service tiret public point ma"),
        ("écrivez à contact@watiqa.ma", "écrivez à contact arobase watiqa point ma"),
        // words are left alone
        ("Arrêté du ministre", "Arrêté du ministre"),
    ])
    func french(_ written: String, _ expected: String) {
        #expect(Self.spoken(written, .french) == expected)
    }

    @Test(arguments: [
        ("بتاريخ 14/02/2025", "بتاريخ 14 فبراير 2025"),
        ("2025-08-01", "1 غشت 2025"),
        ("ابتداء من 09:00", "ابتداء من الساعة 9"),
        ("من 08:30 إلى 16:30", "من الساعة 8 و 30 دقيقة إلى الساعة 16 و 30 دقيقة"),
        ("08:30 - 16:30", "من الساعة 8 و 30 دقيقة إلى الساعة 16 و 30 دقيقة"),
        ("بين 10 و 15", "بين 10 و 15"),
        ("الرسوم 75 د.م.", "الرسوم 75 درهما"),
        ("75 درهما", "75 درهما"),
        ("20 DH", "20 درهما"),
        ("5 DH", "5 دراهم"),
        ("100 DH", "100 درهم"),
        ("1 500,00 MAD", "1500 درهم"),
        ("٧٥ درهما", "75 درهما"),
        ("رقم ١٢٣", "رقم 123"),
        ("نسبة 2,5%", "نسبة 2 فاصلة 5 في المائة"),
        ("10٪", "10 في المائة"),
        ("الهاتف 05 37 00 00 00", "الهاتف صفر 5، 37، صفر صفر، صفر صفر، صفر صفر"),
        ("الفصل الأول", "الفصل الأول"),
        ("الفصل 65 من ق.ج", "الفصل 65 من القانون الجنائي"),
        ("المادة 3 من م.ج", "المادة 3 من المسطرة الجنائية"),
        ("البطاقة CNIE", "البطاقة البطاقة الوطنية للتعريف الإلكترونية"),
        ("N° 7", "رقم 7"),
        ("خلال 10-15 يوما", "خلال من 10 إلى 15 يوما"),
        ("www.watiqa.ma", "رابط إلى واتيقا نقطة ما"),
    ])
    func arabic(_ written: String, _ expected: String) {
        #expect(Self.spoken(written, .arabic) == expected)
    }

    /// Moroccan service text, class by class (issue 14): each case in the language it occurs in.
    @Test(arguments: [
        // Dates written year first, with any separator.
        ("le 2025/02/14", "le 14 février 2025"),
        ("le 2025.02.14", "le 14 février 2025"),
        // Identifiers: digit groups as written, separators spoken.
        ("dahir n° 1-11-140", "dahir numéro 1 tiret 11 tiret 140"),
        ("la loi n° 31.08", "la loi numéro 31 point zéro 8"),
        ("décret 2.22.431", "décret 2 point 22 point 431"),
        ("loi organique n° 065-13", "loi organique numéro zéro 65 tiret 13"),
        ("dossier numéro 2024/118", "dossier numéro 2024 barre 118"),
        // Regnal numerals and centuries.
        ("Sa Majesté le Roi Mohammed VI", "Sa Majesté le Roi Mohammed 6"),
        ("l'avenue Hassan II", "l'avenue Hassan 2"),
        ("François Ier", "François premier"),
        ("au XXIe siècle", "au vingt et unième siècle"),
        ("le Ve siècle", "le cinquième siècle"),
        ("titre III", "titre 3"),
        // Acronyms spelled with French letter names; a heading in capitals is left alone.
        ("votre RIB", "votre R I B"),
        ("le classement EGDI", "le classement E G D I"),
        ("la 5G", "la 5 G"),
        ("DEMANDE DE PASSEPORT", "DEMANDE DE PASSEPORT"),
        // Guards: what was right stays right.
        ("Le dossier", "Le dossier"),
        ("De plus, Ce jour", "De plus, Ce jour"),
        ("votre CV", "votre C V"),
        ("N° 3", "numéro 3"),
        ("1.500 DH", "1500 dirhams"),
        ("2,5 %", "2 virgule 5 pour cent"),
    ])
    func moroccanFrench(_ written: String, _ expected: String) {
        #expect(Self.spoken(written, .french) == expected)
    }

    @Test(arguments: [
        // Grouped thousands: a comma or a dot before exactly three digits.
        ("6,300 موقع", "6300 موقع"),
        ("1.500 درهم", "1500 درهم"),
        ("2.500,00 درهم", "2500 درهم"),
        ("1,250,000 مستفيد", "1250000 مستفيد"),
        // One or two digits after it: a decimal.
        ("5.6 مليون", "5 فاصلة 6 مليون"),
        ("15.8 مليار", "15 فاصلة 8 مليار"),
        // Dates year first: no "slash".
        ("بتاريخ 2025/02/14", "بتاريخ 14 فبراير 2025"),
        ("2025.02.14", "14 فبراير 2025"),
        // Identifiers after رقم and in law references.
        ("الظهير الشريف رقم 1.11.140", "الظهير الشريف رقم 1 نقطة 11 نقطة 140"),
        ("القانون رقم 31.08", "القانون رقم 31 نقطة صفر 8"),
        ("القانون 65-99", "القانون 65 شرطة 99"),
        // Tanween written on the alif: moved to the letter before it, once.
        ("أيضاً", "أيضًا"),
        ("وفقاً للقانون", "وفقًا للقانون"),
        ("تماشياً", "تماشيًا"),
        ("\u{062C}\u{062F}\u{0651}\u{0627}\u{064B}", "\u{062C}\u{062F}\u{0651}\u{064B}\u{0627}"),  // جدّاً
        // Guards.
        ("أيضًا", "أيضًا"),
        ("رقم ١٢٣", "رقم 123"),
        ("نسبة 2,5%", "نسبة 2 فاصلة 5 في المائة"),
    ])
    func moroccanArabic(_ written: String, _ expected: String) {
        #expect(Self.spoken(written, .arabic) == expected)
    }

    @Test func tanweenOnTheAlifStillMarksTheWrittenWord() {
        let text = "وفقاً للقانون"
        let spoken = TextNormalizer.normalize(text, language: .arabic)
        let r = spoken.originalRange(spokenStart: 0, length: 5)
        #expect(String(String.UnicodeScalarView(Array(text.unicodeScalars)[r])) == "وفقاً")
    }

    /// What the caller wrote behind the first place `word` is said in the normalised `text`.
    static func written(_ word: String, in text: String, _ language: TextNormalizer.Language) -> String {
        let spoken = TextNormalizer.normalize(text, language: language)
        let said = Array(spoken.spokenString.unicodeScalars)
        let w = Array(word.unicodeScalars)
        guard let start = (0...max(0, said.count - w.count)).first(where: { Array(said[$0..<$0 + w.count]) == w })
        else { return "" }
        let r = spoken.originalRange(spokenStart: start, length: w.count)
        return String(String.UnicodeScalarView(Array(text.unicodeScalars)[r]))
    }

    @Test func marksStillPointAtTheWrittenCharacters() {
        let text = "Payez 20 DH avant le 14/02/2025."
        #expect(Self.written("dirhams", in: text, .french) == "20 DH")
        #expect(Self.written("février", in: text, .french) == "14/02/2025")
        #expect(Self.written("avant", in: text, .french) == "avant")
    }

    @Test func frenchNumberWords() {
        #expect(FrenchNumbers.cardinal(71) == "soixante et onze")
        #expect(FrenchNumbers.cardinal(80) == "quatre-vingts")
        #expect(FrenchNumbers.cardinal(91) == "quatre-vingt-onze")
        #expect(FrenchNumbers.cardinal(200) == "deux cents")
        #expect(FrenchNumbers.cardinal(2025) == "deux mille vingt-cinq")
        #expect(FrenchNumbers.ordinal(5, feminine: false) == "cinquième")
        #expect(FrenchNumbers.ordinal(100, feminine: false) == "centième")
    }

    func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<$0 + needle.count]) == needle }
    }
}
