import QariText
import Testing

@testable import QariPage

/// A reading never opens on page furniture: the page's address printed as text, a share bar, a byline's date
/// stamp, a "skip to content" link (issue 33).
@Suite struct LeadingChromeTests {
    static func read(_ html: String) async throws -> [String] {
        try await PageReader.read(bytes: Array(html.utf8)).passages.map(\.text)
    }

    static let article = "<h1>Les guichets uniques ouvrent</h1><p>Les citoyens peuvent déposer leur demande.</p>"

    @Test(arguments: [
        // The page's own address, printed above the article (as saved pages have it).
        "<p>https://www.lematin.ma/actualite/article/Les-guichets-uniques-ouvrent-14848382.php</p>",
        // A link whose text is its own address.
        "<p><a href=\"https://www.lematin.ma/\">www.lematin.ma</a></p>",
        "<div>Partager : Facebook Twitter LinkedIn WhatsApp E-mail</div>",
        "<div>Publié le 14/02/2025 à 10h45</div>",
        "<div>Par Rédaction · 12 mars 2025</div>",
        "<div><a href=\"#main\">Aller au contenu principal</a></div>",
        "<div><a href=\"#main\">Skip to content</a></div>",
        "<div>شارك: فيسبوك تويتر واتساب</div>",
        "<div>نشر في 12 مارس 2025 على الساعة 10:45</div>",
    ])
    func furnitureBeforeTheArticleIsNotReadFirst(_ chrome: String) async throws {
        let passages = try await Self.read("<html lang=fr><body><main>\(chrome)\(Self.article)</main></body></html>")
        #expect(passages.first == "Les guichets uniques ouvrent")
    }

    /// Amid the article the same things are the page's text: a date in a sentence, an address in a paragraph.
    @Test func theSameTextInsideTheArticleIsKept() async throws {
        let passages = try await Self.read(
            """
            <html lang=fr><body><main>\(Self.article)<p>Publié le 14/02/2025</p>
            <p>www.idarati.ma</p><p>Partager : Facebook Twitter</p></main></body></html>
            """)
        #expect(
            passages == [
                "Les guichets uniques ouvrent", "Les citoyens peuvent déposer leur demande.", "Publié le 14/02/2025",
                "www.idarati.ma", "Partager : Facebook Twitter",
            ])
    }

    /// A sentence that starts like furniture is the page's text.
    @Test func sentencesAreNotFurniture() async throws {
        let sentence = "Le 14/02/2025, le ministère a ouvert 12 guichets uniques dans les préfectures du Royaume."
        let passages = try await Self.read("<html lang=fr><body><main><p>\(sentence)</p></main></body></html>")
        #expect(passages == [sentence])
        // A page of furniture alone is read as it is.
        #expect(
            try await Self.read("<html lang=fr><body><main><p>www.idarati.ma</p></main></body></html>") == [
                "www.idarati.ma"
            ])
    }

    /// A link whose text is its own address is its own passage, and it is read as a link to its host; the same
    /// address inside a sentence is read in full, in its words.
    @Test func aLinkWhoseTextIsItsAddressIsReadAsALink() async throws {
        let link = "https://www.lematin.ma/actualite/article/Les-guichets-uniques-ouvrent-14848382.php"
        let page = try await PageReader.read(
            bytes: Array(
                """
                <html lang=fr><body><main>\(Self.article)<p><a href="\(link)">\(link)</a></p>
                <p>Source : <a href="\(link)">\(link)</a></p></main></body></html>
                """.utf8))
        let said = page.passages.map { TextNormalizer.normalize($0.text, language: .french).spokenString }
        #expect(said.contains("lien vers lematin point ma"), "\(said)")
        #expect(
            said.contains("Source : lematin point ma, actualite, article, les guichets uniques ouvrent 14 84 83 82"),
            "\(said)")
        // The Arabic page's link: Arabic words, no French joiner.
        let arabic = try await PageReader.read(
            bytes: Array(
                "<html lang=ar><body><main><p>طلب جواز السفر</p><p><a href=\"http://www.passeport.ma\">www.passeport.ma</a></p></main></body></html>"
                    .utf8))
        let last = try #require(arabic.passages.last)
        #expect(last.lang == "ar")
        let spoken = TextNormalizer.normalize(last.text, language: .arabic).spokenString
        #expect(spoken.hasPrefix("رابط إلى ") && spoken.hasSuffix(" نقطة ما") && !spoken.contains("point"), "\(spoken)")
    }

    /// An address in the middle of an Arabic sentence stays in its passage, read as an address: not as a link.
    @Test func anAddressInAnArabicSentenceIsReadInItsSentence() async throws {
        let page = try await PageReader.read(
            bytes: Array("<html lang=ar><body><main><p>زوروا www.idarati.ma اليوم</p></main></body></html>".utf8))
        #expect(page.passages.map(\.text) == ["زوروا www.idarati.ma اليوم"])
        let spoken = TextNormalizer.normalize(page.passages[0].text, language: .arabic).spokenString
        #expect(spoken == "زوروا إداراتي نقطة ما اليوم")
    }
}
