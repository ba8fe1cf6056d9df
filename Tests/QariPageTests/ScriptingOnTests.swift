import Testing

@testable import QariPage

/// Pages parsed as a browser with scripts on parses them: `<noscript>` holds raw text, shown to nobody.
@Suite struct ScriptingOnTests {
    static func read(_ html: String) async throws -> PageContent {
        try await PageReader.read(bytes: Array(html.utf8))
    }

    /// A tracking pixel in `<head>` leaves `<body>`'s elements where the browser has them: `<main>` is the body's
    /// second element, as `document.body.children[1]`.
    @Test func aPixelInTheHeadDoesNotMoveTheBody() async throws {
        let page = try await Self.read(
            """
            <!doctype html><html lang="fr"><head><title>T</title><noscript><img src="https://t.example/p.gif"></noscript>
            <link rel="stylesheet" href="x.css"></head><body><div>Menu</div><main><p>Le passeport est délivré par la
            préfecture de votre lieu de résidence.</p></main></body></html>
            """)
        #expect(page.passages.count == 1)
        #expect(page.passages.first?.locator.first?.path == [1, 1, 0])
    }

    /// Inside a paragraph, a `<noscript>` holding a block neither closes the paragraph nor is read.
    @Test func aNoscriptInAParagraphIsNotReadAndKeepsTheParagraph() async throws {
        let page = try await Self.read(
            """
            <html lang="fr"><body><main><p><noscript><div>Activez JavaScript.</div></noscript>Le passeport est
            délivré par la préfecture.</p></main></body></html>
            """)
        #expect(page.passages.map(\.text) == ["Le passeport est délivré par la préfecture."])
        #expect(page.passages.first?.locator.first?.path == [1, 0, 0])
    }

    /// The element keeps its name and its text, written back as it came, and offsets are kept: `</NoScript >`
    /// in any case, and the word inside a script or an attribute, are handled alike.
    @Test func theElementKeepsItsNameAndTextWhenWrittenBack() throws {
        let html = "<html><head></head><body><NoScript ><img src=\"p.gif\"></NoScript ><p>x</p></body></html>"
        let document = try PageReader.parseHere(bytes: Array(html.utf8))
        let noscript = try #require(document.first("noscript"))
        #expect(document.nodes[noscript].children.map { document.nodes[$0].kind } == [.text])
        #expect(HTMLSerializer.serialize(document).contains("<noscript><img src=\"p.gif\"></noscript>"))
        var bytes = Array("<noscripts><noscript/>".utf8)
        #expect(ScriptingOn.rewrite(&bytes) == [11])
        #expect(String(decoding: bytes, as: UTF8.self) == "<noscripts><noframes/>")
    }
}
