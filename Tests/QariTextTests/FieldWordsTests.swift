import Testing

@testable import QariText

/// What a listener hears of a form's parts: date formats said as words, and every kind of field named.
@Suite struct FieldWordsTests {
    static func spoken(_ text: String, _ language: TextNormalizer.Language) -> String {
        TextNormalizer.normalize(text, language: language).spokenString
    }

    @Test(arguments: [
        ("Format : JJ/MM/AAAA", "Format : jour, mois, année"),
        ("(jj-mm-aaaa)", "(jour, mois, année)"),
        ("au format DD/MM/YYYY.", "au format jour, mois, année."),
        ("expire fin MM/AA", "expire fin mois, année"),
        ("JJ/MM", "jour, mois"),
    ])
    func aFrenchDateFormatIsSaidAsItsParts(_ written: String, _ said: String) {
        #expect(Self.spoken(written, .french) == said)
    }

    /// Not a format: one part alone, a word that only starts like one, a part given twice.
    @Test(arguments: ["MM. Alaoui", "JJ/MMX", "MM/MM", "AAA/MM"])
    func lettersThatAreNotADateFormatAreNotSaidAsOne(_ written: String) {
        let said = Self.spoken(written, .french)
        #expect(!said.contains("mois") && !said.contains("jour") && !said.contains("année"), "\(said)")
    }

    @Test func anArabicPageSaysTheFormatsPartsInArabic() {
        #expect(Self.spoken("الصيغة: JJ/MM/AAAA", .arabic) == "الصيغة: اليوم، الشهر، السنة")
    }

    @Test func everyKindHasAWordInArabicAndFrenchAndAmazighPagesUseTheFrench() {
        for words in [FieldWords.french, FieldWords.arabic] {
            for kind in FieldKind.allCases { #expect(words.kinds[kind]?.isEmpty == false, "\(words.lang) \(kind)") }
        }
        #expect(FieldWords.forLanguage("ar-MA").word(.checkbox) == "خانة اختيار")
        #expect(FieldWords.forLanguage("zgh").word(.select) == "liste de choix")
        #expect(FieldWords.forLanguage("fr").required == "obligatoire")
        #expect(FieldWords.arabic.required == "إجباري")
    }
}
