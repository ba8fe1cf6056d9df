import Testing

@testable import QariText

/// Text others write (issue 22): symbols, fractions, signs, superscripts, measures, money, liaison, read as a
/// person reads them, in words (`qari normalize`), and never by another language's rules.
@Suite struct WrittenByOthersTests {
    static let fr = VoiceCatalog.voice(named: "fr")!
    static let ar = VoiceCatalog.voice(named: "ar")!

    /// What `qari normalize` prints: the voice's text, numbers in words.
    static func words(_ text: String, _ voice: Voice) -> String {
        TextPreparation.normalized(text, voice: voice, lexicons: LexiconSet())
    }

    @Test(arguments: [
        // Symbols, class by class.
        ("et/ou", "et ou"),
        ("R&D", "R et D"),
        ("+ de 10 jours", "plus de dix jours"),
        ("1 + 1 = 2", "un plus un égale deux"),
        ("25 °C", "vingt-cinq degrés Celsius"),
        ("un angle de 90°", "un angle de quatre-vingt-dix degrés"),
        ("5 %", "cinq pour cent"),
        ("5 ‰", "cinq pour mille"),
        ("art. 12 § 3", "article douze paragraphe trois"),
        ("№ 5", "numéro cinq"),
        ("dossier #3", "dossier numéro trois"),
        ("note*", "note "),
        ("2*3", "deux fois trois"),
        ("3 × 4 m", "trois fois quatre mètres"),
        ("6 ÷ 2", "six divisé par deux"),
        ("@qari", "arobase qari"),
        ("~5 km", "environ cinq kilomètres"),
        ("±2", "plus ou moins deux"),
        ("< 5 ans", "moins de cinq ans"),
        ("Accueil → Services", "Accueil , Services"),
        ("• une copie", "  une copie"),
        ("★★ noté ✔", "   noté  "),
        ("© Portail", "  Portail"),
        ("nom_utilisateur", "nom utilisateur"),
    ])
    func frenchSymbols(_ written: String, _ said: String) {
        #expect(Self.words(written, Self.fr) == said)
    }

    @Test(arguments: [
        ("نسخة من الفواتير و/أو العقد", "نسخة من الفواتير و أو العقد"),
        ("أ & ب", "أ و ب"),
        ("+ 5 أيام", "زائد خمسة أيام"),
        ("1 + 1 = 2", "واحد زائد واحد يساوي اثنان"),
        ("بين -5°C و25°C", "بين ناقص خمسة درجة مئوية وخمسة وعشرون درجة مئوية"),
        ("زاوية 90°", "زاوية تسعون درجة"),
        ("%15", "خمسة عشر في المائة"),
        ("15%", "خمسة عشر في المائة"),
        ("5‰", "خمسة في الألف"),
        ("‰5", "خمسة في الألف"),
        ("المادة 12 § 3", "المادة اثنا عشر الفقرة ثلاثة"),
        ("№ 5", "رقم خمسة"),
        ("الملف #3", "الملف رقم ثلاثة"),
        ("2*3", "اثنان ضرب ثلاثة"),
        ("3 × 4", "ثلاثة ضرب أربعة"),
        ("6 ÷ 2", "ستة مقسوم على اثنان"),
        ("~10%", "حوالي عشرة في المائة"),
        ("±2", "زائد أو ناقص اثنان"),
        ("الخطوة 1 ← ملء الاستمارة", "الخطوة واحد ، ملء الاستمارة"),
        ("• البند الأول", "  البند الأول"),
        ("★ مهم", "  مهم"),
    ])
    func arabicSymbols(_ written: String, _ said: String) {
        #expect(Self.words(written, Self.ar) == said)
    }

    @Test(arguments: [
        // Fractions.
        ("1/2", "un demi"), ("1/3", "un tiers"), ("3/4 du montant", "trois quarts du montant"),
        ("2/9", "deux neuvièmes"), ("1 1/2", "un et demi"), ("4 2/4", "quatre et deux quarts"),
        ("½ litre", "un demi litre"), ("1/12", "un douzième"),
        // Negative numbers.
        ("-60 degrés", "moins soixante degrés"), ("-4 1/3", "moins quatre et un tiers"),
        ("(-3 %)", "(moins trois pour cent)"),
        // Superscript abbreviations, the same as their plain forms.
        ("Mᵐᵉ Alaoui", "madame Alaoui"), ("Mme Alaoui", "madame Alaoui"), ("Mˡˡᵉ", "mademoiselle"),
        ("Mᵍʳ", "monseigneur"),
        ("Dʳ Bennani", "docteur Bennani"), ("1ᵉʳ étage", "premier étage"), ("2ᵉ guichet", "deuxième guichet"),
        ("Nᵒ 12", "numéro douze"), ("Mᵐᵉˢ", "mesdames"),
        // Ordinals with ° in enumerations; degrees elsewhere.
        ("6° les pièces", "sixième les pièces"),
        ("1° la demande ; 2° le reçu", "premier la demande ; deuxième le reçu"),
        ("il fait 6° dehors", "il fait six degrés dehors"),
        // Dates of the peer suite's forms.
        ("17.06", "dix-sept juin"), ("les 17-18-19 juin", "les dix-sept dix-huit dix-neuf juin"),
        ("les 17/18 juin 2025", "les dix-sept dix-huit juin deux mille vingt-cinq"),
        ("avant le 14/02", "avant le quatorze février"),
        ("les 80s", "les années quatre-vingt"),
        // A slash between years: a separator.
        ("2024/2025", "deux mille vingt-quatre deux mille vingt-cinq"),
        // Money and measures.
        ("20 €", "vingt euros"), ("22 $", "vingt-deux dollars"), ("120 m²", "cent vingt mètres carrés"),
        ("sous 48 h", "sous quarante-huit heures"), ("1,5 m", "un virgule cinq mètre"),
        // Big numbers.
        (
            "1 593 072 962",
            "un milliard cinq cent quatre-vingt-treize millions soixante-douze mille neuf cent soixante-deux"
        ),
        ("le 1 000 000 000e", "le un milliardième"),
    ])
    func french(_ written: String, _ said: String) {
        #expect(Self.words(written, Self.fr) == said)
    }

    /// Superscript abbreviations read exactly as their plain forms.
    @Test(arguments: [
        ("Mᵐᵉ Alaoui", "Mme Alaoui"), ("Mˡˡᵉ Bennani", "Mlle Bennani"), ("Mᵍʳ Dupont", "Mgr Dupont"),
        ("Dʳ Idrissi", "Dr Idrissi"), ("le 1ᵉʳ étage", "le 1er étage"), ("le 2ᵉ guichet", "le 2e guichet"),
        ("Nᵒ 12", "No 12"), ("Mᵐᵉˢ", "Mmes"), ("Dʳᵉˢ", "Dres"),
    ])
    func superscriptsReadAsTheirPlainForms(_ superscript: String, _ plain: String) {
        #expect(Self.words(superscript, Self.fr) == Self.words(plain, Self.fr))
        #expect(Self.words(superscript, Self.fr) != superscript)
    }

    @Test(arguments: [
        // No liaison after a number that ends its noun group.
        ("Mohammed VI a présidé", "Mohammed [[s'is]] a présidé"),
        ("Hassan II avait", "Hassan [[d'Y]] avait"),
        ("il en a 6 à payer", "il en a [[s'is]] à payer"),
        ("10 ou 20", "dix ou vingt"), ("10 ou plus", "[[d'is]] ou plus"),
        // A liaison French makes stays: six ans, Louis XIV (quatorze links to nothing).
        ("six ans", "six ans"), ("6 ans", "six ans"), ("Louis XIV est", "Louis quatorze est"),
    ])
    func frenchLiaison(_ written: String, _ said: String) {
        #expect(Self.words(written, Self.fr) == said)
    }

    @Test(arguments: [
        // Fractions.
        ("نصف", "نصف"), ("1/2", "نصف"), ("1/3", "ثلث"), ("1/4", "ربع"), ("3/4 المبلغ", "ثلاثة أرباع المبلغ"),
        ("2/3", "ثلثين"), ("1 1/2", "واحد ونصف"), ("9/3", "تسعة أثلاث"), ("1/387", "واحد على ثلاث مئة وسبعة وثمانون"),
        ("½", "نصف"),
        // Per cent and per mille in either order.
        ("%15", "خمسة عشر في المائة"), ("15 %", "خمسة عشر في المائة"), ("‰5", "خمسة في الألف"),
        // Negative numbers.
        ("-5", "ناقص خمسة"), ("(-3%)", "(ناقص ثلاثة في المائة)"),
        // Measures, in Latin letters or Arabic, read in Arabic.
        ("المسافة 12 كلم", "المسافة اثنا عشر كيلومتر"), ("الوزن 3 كغ", "الوزن ثلاثة كيلوغرام"),
        ("المساحة 20 م²", "المساحة عشرون متر مربع"), ("المساحة 120 m²", "المساحة مئة وعشرون متر مربع"),
        ("على بعد 5 km", "على بعد خمسة كيلومتر"), ("وزن 2 kg", "وزن اثنان كيلوغرام"),
        ("خلال 48 h", "خلال ثمانية وأربعون ساعة"),
        // Money, in the peer suite's forms besides the dirham.
        ("$7", "سبعة دولار"), ("$7.50", "سبعة دولار وخمسون سنت"), ("$7.05", "سبعة دولار وخمسة سنتات"),
        ("$1.00", "دولار واحد"), ("€9", "تسعة يورو"), ("20 €", "عشرون يورو"), ("5د.ك", "خمسة دينار كويتي"),
        ("5ر.س", "خمسة ريال سعودي"), ("75 درهما", "خمسة وسبعون درهما"), ("20 DH", "عشرون درهما"),
        // Cardinals, in words.
        ("3006", "ثلاثة آلاف وستة"), ("1077", "ألف وسبعة وسبعون"), ("12", "اثنا عشر"), ("200", "مئتان"),
        ("2025", "ألفان وخمسة وعشرون"), ("1000000", "مليون"), ("3000000", "ثلاثة ملايين"),
    ])
    func arabic(_ written: String, _ said: String) {
        #expect(Self.words(written, Self.ar) == said)
    }

    @Test func marksStillPointAtWhatWasWritten() {
        let text = "Mᵐᵉ Alaoui paie 3/4 du montant, soit 12 %."
        #expect(NormalizerTests.written("madame", in: text, .french) == "Mᵐᵉ")
        #expect(NormalizerTests.written("quarts", in: text, .french) == "3/4")
        #expect(NormalizerTests.written("pour cent", in: text, .french) == "12 %")
    }

    /// Amazigh passages: a symbol is said as the separators are (in the Moroccan words, as phonemes) or silent;
    /// none is left for the Arabic table's English fallback.
    @Test(arguments: AmazighVariety.allCases.map(\.rawValue))
    func amazighSymbolsAreSaidOrSilent(_ variety: String) {
        let voice = VoiceCatalog.voice(named: variety)!
        let symbols = "/ & + = ° % ‰ § № # * @ ~ ± × ÷ → • ★ © \\ _"
        let spoken = TextPreparation.normalized("ⴰⵣⵓⵍ \(symbols) ⴰⵎⵓⵔ 5% 5‰", voice: voice, lexicons: LexiconSet())
        let outside = spoken.replacing(/\[\[[^\]]*\]\]/, with: "")
        #expect(outside.unicodeScalars.allSatisfy { $0 == " " || $0 == "…" }, "\(outside)")
        #expect(spoken.components(separatedBy: "[[").count == 1 + 3 + 6)  // two words, 5 twice, & % ‰ %, ‰
    }

    /// Every Latin unit the Arabic normaliser reads is kept in the Arabic run by the script splitter.
    @Test func latinUnitsTheArabicRulesReadStayArabic() {
        for (written, _, _) in NormalizerScanner.units where written.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let runs = ScriptRuns.split("المسافة 5 \(written) فقط", voice: Self.ar)
            #expect(runs.count == 1, "\(written): \(runs.map(\.voice.id))")
        }
    }

    @Test func arabicNumberWords() {
        #expect(ArabicNumbers.cardinal(11) == "أحد عشر")
        #expect(ArabicNumbers.cardinal(21) == "واحد وعشرون")
        #expect(ArabicNumbers.cardinal(809) == "ثمان مئة وتسعة")
        #expect(ArabicNumbers.cardinal(9837) == "تسعة آلاف وثمان مئة وسبعة وثلاثون")
        #expect(ArabicNumbers.cardinal(15000) == "خمسة عشر ألف")
        #expect(ArabicNumbers.cardinal(2_000_000_000) == "ملياران")
        #expect(ArabicNumbers.cardinal(-7) == "ناقص سبعة")
        #expect(FrenchNumbers.cardinal(-60) == "moins soixante")
        #expect(FrenchNumbers.cardinal(200_000) == "deux cent mille")
        #expect(FrenchNumbers.ordinal(1_000_000_000, feminine: false) == "un milliardième")
    }
}
