import Foundation
import QariPage
import QariReading
import QariTestSupport
import Testing

@testable import QariServer

/// A reading's document written directly is what `JSONEncoder` writes, byte for byte: every client reads the same.
@Suite struct PassagesJSONTests {
    static func encoded<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = jsonOutputFormatting
        return Array(try encoder.encode(value))
    }

    static func reading(_ content: PageContent) throws -> Reading {
        Reading(
            plan: try PagePlan(content: content),
            versions: ReadingVersions(engine: "test", voices: "test", diacritizer: "none"))
    }

    @Test func everySamplePagesDocumentIsWhatTheEncoderWrites() async throws {
        for url in try Support.samplePages() {
            let content = try await PageService(options: PageOptions()).read(
                bytes: Array(try Data(contentsOf: url)), charset: nil)
            let document = ReadingDocument(try Self.reading(content), cached: false)
            #expect(!document.passages.isEmpty)
            #expect(try document.json() == Self.encoded(document), "\(url.lastPathComponent)")
        }
    }

    @Test func everyCharacterAndEveryLocatorShapeIsWrittenAsTheEncoderWritesIt() throws {
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let text = controls + "\"quoted\" back\\slash a/b \u{7F} \u{2028}\u{2029} 👩🏽‍💻 عقد الازدياد ⴰⵣⵓⵍ"
        let content = PageContent(
            lang: "fr", title: "\"passages\":[] in a title",
            passages: [
                Passage(
                    lang: "fr", text: text,
                    locator: [
                        TextLocator(offset: 0, length: 3, path: [0, 1], node: 2, start: 0, end: 3),
                        TextLocator(offset: 4, length: 2, path: [], attribute: "a\"lt/\n"),
                        TextLocator(offset: 7, length: 1, path: [5], start: 9),
                        TextLocator(offset: 8, length: 1, path: [6], end: 1),
                    ]),
                Passage(lang: "ar", text: "نص", locator: []),
            ])
        let document = ReadingDocument(try Self.reading(content), cached: true)
        #expect(try document.json() == Self.encoded(document))
        #expect(PassagesJSON.write([]) == Array("[]".utf8))
    }
}
