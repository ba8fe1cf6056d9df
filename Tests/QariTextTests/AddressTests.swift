import Testing

@testable import QariText

/// Web addresses, e-mail addresses, file names and codes, said as people say them (issue 33).
@Suite struct AddressTests {
    static let lematin = "https://www.lematin.ma/actualite/article/Les-guichets-uniques-ouvrent-14848382.php"

    static func spoken(_ text: String, _ language: TextNormalizer.Language) -> String {
        TextNormalizer.normalize(text, language: language).spokenString
    }

    static func normalized(_ text: String, voice: String) -> String {
        TextPreparation.normalized(text, voice: VoiceCatalog.voice(named: voice)!, lexicons: LexiconSet())
    }

    @Test(arguments: [
        // The host, then the path's words; a page's extension, `www.` and the scheme are not said.
        (
            "Lire : \(lematin)",
            "Lire : lematin point ma, actualite, article, les guichets uniques ouvrent 14 84 83 82"
        ),
        ("sur www.idarati.ma.", "sur idarati point ma."),
        ("voir idarati.ma/fr/formulaire.pdf", "voir idarati point ma, fr, formulaire point P D F"),
        ("le site http://www.service-public.ma/fr?id=12#haut !", "le site service tiret public point ma, fr !"),
        // E-mail: every character a listener must type is said.
        ("écrivez à contact@idarati.ma", "écrivez à contact arobase idarati point ma"),
        (
            "ou à prenom.nom_2@finances.gov.ma.",
            "ou à prenom point nom tiret bas 2 arobase finances point gov point ma."
        ),
        // A text that is only an address is a link: its host.
        (lematin, "lien vers lematin point ma"),
        // Not addresses.
        ("fin.Le texte", "fin.Le texte"),
    ])
    func french(_ written: String, _ expected: String) {
        #expect(Self.spoken(written, .french) == expected)
    }

    @Test(arguments: [
        // Amid Arabic: Arabic words join the parts, and the Latin parts are in Arabic letters as French says them.
        ("راسلونا على contact@idarati.ma", "راسلونا على كونتاكت آت إداراتي نقطة ما"),
        ("زوروا www.service-public.ma/fr للمزيد", "زوروا سيرفيس شرطة بوبليك نقطة ما، إف إر للمزيد"),
        ("الموقع www.cnss.ma", "الموقع سي إن إس إس نقطة ما"),
        ("www.watiqa.ma", "رابط إلى واتيقا نقطة ما"),
    ])
    func arabic(_ written: String, _ expected: String) {
        #expect(Self.spoken(written, .arabic) == expected)
    }

    /// In an Arabic sentence the address goes to the Arabic voice: no French word joins its parts.
    @Test func anAddressInAnArabicSentenceIsNotJoinedByFrenchWords() {
        let said = Self.normalized("للتواصل: www.service-public.ma أو info@watiqa.ma", voice: "ar")
        #expect(!said.contains("point") && !said.contains("arobase") && !said.contains("slash"), "\(said)")
        #expect(said.contains("نقطة") && said.contains("آت"), "\(said)")
        // Mid-sentence it is an address, not a link: no "رابط إلى", as in French.
        #expect(Self.normalized("زوروا www.idarati.ma اليوم", voice: "ar") == "زوروا إداراتي نقطة ما اليوم")
        #expect(
            Self.normalized("Visitez www.idarati.ma aujourd'hui", voice: "fr") == "Visitez idarati point ma aujourd'hui"
        )
        // In a French sentence inside Arabic it stays French.
        #expect(Self.normalized("يرجى visiter www.idarati.ma", voice: "ar").hasSuffix("visiter idarati point ma"))
    }

    /// Amazigh voices read an address in French, as Latin in Tifinagh text is read (and as the portal's Amazigh
    /// pages write their links).
    @Test func amazighVoicesReadAddressesInFrench() {
        let latin = Self.normalized("tanmmirt contact@idarati.ma", voice: "zgh")
        #expect(latin.hasSuffix("contact arobase idarati point ma"), "\(latin)")
        let tifinagh = Self.normalized("ⴰⵎⵙⴰⵙ dossier 118734 www.idarati.ma/fr/x", voice: "zgh")
        #expect(tifinagh.contains("idarati point ma, fr, x"), "\(tifinagh)")
        #expect(tifinagh.contains("onze quatre-vingt-sept trente-quatre"), "\(tifinagh)")
    }

    @Test(arguments: [
        ("Formulaire n° 2026/AB-1234", "Formulaire numéro 2026 barre A B tiret 12 34"),
        ("le dossier 118734 est clos", "le dossier 11 87 34 est clos"),
        ("référence 0012345", "référence zéro zéro 1 23 45"),
        // A count stays a count.
        ("les 118734 dossiers", "les 118734 dossiers"),
        ("N° 3", "numéro 3"),
    ])
    func frenchCodes(_ written: String, _ expected: String) {
        #expect(Self.spoken(written, .french) == expected)
    }

    @Test func arabicCodes() {
        #expect(Self.spoken("الملف رقم 118734", .arabic) == "الملف رقم 11 87 34")
        #expect(Self.spoken("المرجع 2026/AB-1234", .arabic) == "المرجع 2026 على A B شرطة 12 34")
    }

    @Test func digitsAreGroupedAsPeopleSayThem() {
        #expect(Address.digitGroups(8) == [0..<2, 2..<4, 4..<6, 6..<8])
        #expect(Address.digitGroups(5) == [0..<3, 3..<5])
        #expect(Address.digitGroups(3) == [0..<3])
        #expect(Address.digitGroups(4, yearLike: true) == [0..<4])
        #expect(Address.digitGroups(4) == [0..<2, 2..<4])
    }

    /// Each spoken part is traced to its own written part, in order, inside the address: the highlight moves
    /// through an address as it is read, instead of sitting on it as one word.
    @Test(arguments: [
        ("Lire : \(lematin) puis", TextNormalizer.Language.french),
        ("écrivez à contact@idarati.ma demain", .french),
        ("راسلونا على contact@idarati.ma غدا", .arabic),
    ])
    func marksMoveThroughAnAddress(_ text: String, _ language: TextNormalizer.Language) {
        let scalars = Array(text.unicodeScalars)
        let address = scalars.indices.lazy.compactMap { i in
            i == 0 || scalars[i - 1] == " " ? Address.parse(scalars, at: i) : nil
        }.first!
        let words = WordRanges.of(scalars)
        let spoken = TextNormalizer.normalize(text, language: language)
        var hit: [Int] = []
        for token in spoken.spokenString.split(separator: " ", omittingEmptySubsequences: true) {
            let at = spoken.spokenString.unicodeScalars.distance(
                from: spoken.spokenString.unicodeScalars.startIndex, to: token.unicodeScalars.startIndex)
            let range = spoken.originalRange(spokenStart: at, length: token.unicodeScalars.count)
            guard address.range.contains(range.lowerBound) else { continue }
            #expect(range.upperBound <= address.range.upperBound)
            let word = words.firstIndex { $0.contains(range.lowerBound) }
            #expect(word != nil, "spoken '\(token)' maps to no written word")
            if let word, hit.last != word { hit.append(word) }
        }
        // Several written words, in order, each inside the address.
        #expect(hit.count >= 3, "\(hit)")
        #expect(hit == hit.sorted())
        for w in hit { #expect(address.range.contains(words[w].lowerBound)) }
    }
}
