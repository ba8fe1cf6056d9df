import Testing

@testable import QariPage

/// A page asks to be kept private with `<meta name="qari" content="private">`, as HTML compares such names.
struct PrivacyMetaTests {
    static func isPrivate(_ head: String) throws -> Bool {
        let html = "<html lang=fr><head>\(head)</head><body><main><p>Votre demande est reçue.</p></main></body></html>"
        return try PageReader.extract(try PageReader.parseHere(bytes: Array(html.utf8), charset: nil)).isPrivate
    }

    @Test func theMetaMarksThePagePrivate() throws {
        #expect(try Self.isPrivate("<meta name=\"qari\" content=\"private\">"))
        #expect(try Self.isPrivate("<meta name=\" QARI \" content=\"Private\">"))
        #expect(try Self.isPrivate("<meta content=\"noindex private\" name=qari>"))
    }

    @Test func otherMetasLeaveItPublic() throws {
        #expect(try !Self.isPrivate(""))
        #expect(try !Self.isPrivate("<meta name=\"robots\" content=\"private\">"))
        #expect(try !Self.isPrivate("<meta name=\"qari\" content=\"public\">"))
        #expect(try !Self.isPrivate("<meta name=\"qari\" content=\"privately\">"))
    }
}
