import Foundation
import Testing

@testable import QariPage

/// The markup of real sites (page builders, WebForms, news and blog themes) that a reader must get through: the
/// article is read, whatever its wrappers are called, and the comments, streams and bars around it are not.
@Suite struct RealPageTests {
    static func texts(_ html: String) async throws -> [String] {
        try await PageReader.read(bytes: Array(html.utf8)).passages.map(\.text)
    }

    static let article = [
        "Le certificat de résidence atteste que vous habitez à l'adresse indiquée dans votre commune.",
        "Il est demandé pour l'inscription scolaire, l'ouverture d'un compte bancaire et de nombreuses démarches.",
        "La demande se fait au bureau de l'annexe administrative ou en ligne sur le portail national.",
    ]
    static var paragraphs: String { article.map { "<p>\($0)</p>" }.joined() }
    static let comments = (1...6).map {
        "Commentaire \($0) : j'ai fait cette démarche la semaine dernière et tout s'est très bien passé, merci."
    }

    /// Every passage has locators that lead back to its text in the page.
    static func expectLocated(_ html: String) async throws {
        let document = await HTMLDocument(parsing: html)
        for passage in try PageReader.extract(document).passages {
            let scalars = Array(passage.text.unicodeScalars)
            for locator in passage.locator {
                let piece = String(String.UnicodeScalarView(scalars[locator.offset..<locator.offset + locator.length]))
                #expect(PageTests.resolve(locator, in: document) == piece)
            }
        }
    }

    @Test func namesOfPageBuilderAndThemeWrappersDoNotHideTheArticle() async throws {
        let wrappers = [
            ("div", "elementor-widget-container"), ("div", "widget Blog"), ("div", "l-sidebar-fixed"),
            ("div", "content-with-sidebar-wrp"), ("div", "has-section-nav"), ("div", "margin_top_10"),
            ("div", "site_header"), ("article", "url-breadcrumb"), ("section", "modal-open"), ("div", "post-rating"),
        ]
        for (tag, name) in wrappers {
            let html = """
                <html lang="fr"><body><div class="menu"><a href="/">Accueil</a> <a href="/s">Services</a></div>
                <\(tag) class="\(name)"><h1>Certificat de résidence</h1>\(Self.paragraphs)</\(tag)>
                <div class="widget widget_recent_entries"><h2>Articles récents</h2><ul><li><a href="/1">Un</a></li>
                <li><a href="/2">Deux</a></li><li><a href="/3">Trois</a></li></ul></div></body></html>
                """
            #expect(try await Self.texts(html) == ["Certificat de résidence"] + Self.article, "class=\(name)")
            try await Self.expectLocated(html)
        }
        // Elementor: every block of the article is a widget of its own, none holding most of the text.
        let blocks = Self.article.map {
            "<div class=\"elementor-element elementor-widget elementor-widget-text-editor\"><div class=\"elementor-widget-container\"><p>\($0)</p></div></div>"
        }
        let elementor = """
            <html lang="fr"><body><div class="elementor elementor-42"><div class="elementor-widget elementor-widget-heading">
            <div class="elementor-widget-container"><h1 class="elementor-heading-title">Certificat de résidence</h1></div></div>
            \(blocks.joined())<div class="elementor-widget elementor-widget-nav-menu"><div class="elementor-widget-container">
            <a href="/a">Accueil</a> <a href="/b">Services</a> <a href="/c">Contact</a></div></div></div></body></html>
            """
        #expect(try await Self.texts(elementor) == ["Certificat de résidence"] + Self.article)
    }

    @Test func aFormThatWrapsThePageIsReadAndAFormThatIsAControlIsNot() async throws {
        let webForms = """
            <html lang="fr"><body><form method="post" action="./Demarche.aspx" id="form1">
            <input type="hidden" name="__VIEWSTATE" value="dDwtMTA4"><div id="entete"><a href="/">Portail</a></div>
            <div id="contenu"><h1>Certificat de résidence</h1>\(Self.paragraphs)</div>
            <div class="recherche"><label>Rechercher</label><input name="q"><input type="submit" value="OK"></div>
            </form></body></html>
            """
        #expect(try await Self.texts(webForms) == ["Certificat de résidence"] + Self.article)
        try await Self.expectLocated(webForms)
        let control = """
            <html lang="fr"><body><main><h1>Certificat de résidence</h1>\(Self.paragraphs)
            <form action="/abonnement"><p>Recevez nos nouvelles par courriel chaque semaine.</p><input name="m">
            <button>S'abonner</button></form></main></body></html>
            """
        #expect(try await Self.texts(control) == ["Certificat de résidence"] + Self.article)
    }

    @Test func theMainWithTheContentIsReadNotAnEmptyHiddenOrAdvertOne() async throws {
        let twoMains = """
            <html lang="fr"><body><main class="pub"><p>Publicité : ouvrez un compte en ligne</p></main>
            <main><h1>Certificat de résidence</h1>\(Self.paragraphs)</main></body></html>
            """
        #expect(try await Self.texts(twoMains) == ["Certificat de résidence"] + Self.article)
        let emptyMain = """
            <html lang="fr"><body><div role="main"></div><main hidden><p>Ancienne version</p></main>
            <div id="page"><h1>Certificat de résidence</h1>\(Self.paragraphs)</div></body></html>
            """
        #expect(try await Self.texts(emptyMain) == ["Certificat de résidence"] + Self.article)
    }

    @Test func hidingThatWouldRemoveTheWholePageIsNotWhatAReaderSees() async throws {
        // A dialog is open: scripts set aria-hidden on the page behind it, and undo it when it closes.
        let modal = """
            <html lang="fr"><body><div id="page" aria-hidden="true"><h1>Certificat de résidence</h1>\(Self.paragraphs)
            <p class="d-none" hidden>Texte masqué</p></div><div role="dialog"><p>Acceptez-vous les cookies ?</p></div>
            </body></html>
            """
        #expect(try await Self.texts(modal) == ["Certificat de résidence"] + Self.article)
        // Anti-clickjacking CSS hides the whole page until a script shows it.
        let clickjack = """
            <html lang="fr"><head><style>html { display: none } .mobile { display: none }</style></head><body>
            <main><h1>Certificat de résidence</h1>\(Self.paragraphs)<div class="mobile"><p>Version mobile</p></div>
            </main></body></html>
            """
        #expect(try await Self.texts(clickjack) == ["Certificat de résidence"] + Self.article)
    }

    @Test func commentsStreamsFollowBoxesAndShareBarsAreNotRead() async throws {
        let html = """
            <html lang="fr"><body><div id="content"><article><h1>Certificat de résidence</h1>
            <div class="share-buttons"><a href="/f">Facebook</a> <a href="/x">X</a></div>\(Self.paragraphs)
            <div class="author-follow"><p>Suivez Karima Alaoui pour recevoir ses prochains articles sur les démarches.</p></div>
            </article>
            <div id="comments" class="comments-area"><h2>6 commentaires</h2><ol class="comment-list">
            \(Self.comments.map { "<li class=\"comment\"><p>\($0)</p></li>" }.joined())</ol></div>
            <section class="related-posts"><h2>À lire aussi</h2><p>Le passeport biométrique : les nouvelles pièces à fournir en détail.</p></section>
            <div class="trending-stream"><p>Les démarches les plus consultées cette semaine par les usagers du portail.</p></div>
            <div class="most-read"><p>Carte nationale : le renouvellement en ligne est désormais possible partout.</p></div>
            </div></body></html>
            """
        #expect(try await Self.texts(html) == ["Certificat de résidence"] + Self.article)
        try await Self.expectLocated(html)
    }

    @Test func fileNameAltTextIsNotReadAndACaptionIsReadOnce() async throws {
        let html = """
            <html lang="fr"><body><main><h1>Certificat de résidence</h1>
            <img src="a.jpg" alt="12-IMG_3886.jpg"><img src="b.jpg" alt="DSC_0042"><img src="c.png" alt="photo 2.png">
            <figure><img src="d.jpg" alt="Le guichet de l'annexe administrative"><figcaption>Le guichet de l'annexe
            administrative</figcaption></figure>
            <img src="e.png" alt="Le formulaire de demande rempli">\(Self.paragraphs)</main></body></html>
            """
        #expect(
            try await Self.texts(html) == [
                "Certificat de résidence", "Le guichet de l'annexe administrative", "Le formulaire de demande rempli",
            ] + Self.article)
        for fileName in ["IMG_3886.JPG", "12-IMG_3886.jpg", "DSC_0042", "screenshot-2024-01-02.png", "PXL_20230102"] {
            #expect(Extraction.isFileName(fileName), "\(fileName)")
        }
        for words in ["Le plan d'accès", "Image de la carte", "Photo 1 : la préfecture", "Schéma v2.1"] {
            #expect(!Extraction.isFileName(words), "\(words)")
        }
    }

    // MARK: Charsets

    static func page(_ head: String, _ body: [UInt8], lang: String = "fr") -> [UInt8] {
        Array("<html lang=\"\(lang)\"><head>\(head)</head><body><p>".utf8) + body + Array("</p></body></html>".utf8)
    }

    static func encoded(_ text: String, _ encoding: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", encoding]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    @Test(arguments: [
        ("gb2312", "GB2312", "谷歌收购的人工智能公司"), ("iso-8859-6", "ISO-8859-6", "شهادة السكنى"),
        ("windows-1251", "CP1251", "Свидетельство"), ("shift_jis", "SHIFT_JIS", "住民票の写し"),
        ("euc-kr", "EUC-KR", "주민등록등본"), ("big5", "BIG5", "居住證明"), ("ISO_8859-15", "ISO-8859-15", "Œuvre 5 €"),
        ("koi8-r", "KOI8-R", "Справка"), ("windows-874", "CP874", "ใบรับรอง"), ("latin2", "ISO-8859-2", "Zaświadczenie"),
    ])
    func everyLabelOfTheEncodingStandardIsDecoded(label: String, iconv: String, text: String) async throws {
        let bytes = try Self.encoded(text, iconv)
        #expect(
            try await PageReader.read(bytes: Self.page("<meta charset=\"\(label)\">", bytes)).passages.map(\.text) == [
                text
            ])
        let httpEquiv = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=\(label)\">"
        #expect(try await PageReader.read(bytes: Self.page(httpEquiv, bytes)).passages.map(\.text) == [text])
        #expect(try await PageReader.read(bytes: Self.page("", bytes), charset: label).passages.map(\.text) == [text])
    }

    @Test func aDeclarationAcrossByte1024IsReadWhole() async throws {
        let comment = "<!-- " + String(repeating: "x", count: 1000 - "<html lang=\"fr\"><head>".utf8.count - 8) + " -->"
        let head = comment + "<meta charset=\"iso-8859-6\">"
        let bytes = Self.page(head, try Self.encoded("شهادة", "ISO-8859-6"))
        let start = bytes.firstIndex(of: UInt8(ascii: "<"), after: 1000)
        #expect(start != nil && start! < 1024 && start! + 25 > 1024, "the tag must straddle byte 1024")
        #expect(try await PageReader.read(bytes: bytes).passages.map(\.text) == ["شهادة"])
    }

    @Test func withoutADeclarationTheStandardsFallbackIsFollowed() async throws {
        // UTF-8 when the bytes are UTF-8; else the locale's legacy encoding: windows-1256 for an Arabic page,
        // windows-1252 otherwise.
        #expect(try await PageReader.read(bytes: Self.page("", Array("Café".utf8))).passages.map(\.text) == ["Café"])
        let arabic = try Self.encoded("طلب الشهادة", "CP1256")
        #expect(
            try await PageReader.read(bytes: Self.page("", arabic, lang: "ar")).passages.map(\.text) == ["طلب الشهادة"])
        let french = try Self.encoded("Pièces à fournir", "CP1252")
        #expect(try await PageReader.read(bytes: Self.page("", french)).passages.map(\.text) == ["Pièces à fournir"])
        // A page saved as UTF-8 that kept its old declaration is UTF-8.
        let saved = Self.page("<meta charset=\"gb2312\">", Array("人工智能 et Café".utf8))
        #expect(try await PageReader.read(bytes: saved).passages.map(\.text) == ["人工智能 et Café"])
        // Labels the standard maps to no decoder are refused by name.
        await #expect(throws: PageError.undecodable(.unsupported("iso-2022-kr"))) {
            try await PageReader.read(bytes: Self.page("<meta charset=\"iso-2022-kr\">", Array("x\u{1B}$)C".utf8)))
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func firstIndex(of byte: UInt8, after start: Int) -> Int? {
        self[start...].firstIndex(of: byte)
    }
}
