import QariPage
import QariWorkers
import Testing

@testable import QariReading

/// A page's content crossing from a page worker to the daemon: all of it arrives, and a broken frame is an error.
@Suite struct PageContentFrameTests {
    static let content = PageContent(
        lang: "ar", title: "طلب عقد الازدياد — demande",
        passages: [
            Passage(
                lang: "ar", text: "الاسم الكامل 👩🏽‍💻",
                locator: [
                    TextLocator(offset: 0, length: 5, path: [0, 1, 2], node: 3, start: 0, end: 5),
                    TextLocator(offset: 6, length: 6, path: [], attribute: "alt"),
                ]),
            Passage(lang: "fr", text: "", locator: []),
            Passage(lang: "zgh", text: "ⴰⵣⵓⵍ", locator: [TextLocator(offset: 0, length: 4, path: [-1], start: 0)]),
        ],
        fields: [], isPrivate: true)

    @Test func everythingArrivesAsItWasWritten() throws {
        var w = ByteWriter()
        try Self.content.write(to: &w)
        var r = ByteReader(w.bytes)
        let read = try PageContent.read(from: &r)
        #expect(r.atEnd)
        #expect(read.lang == "ar" && read.title == Self.content.title && read.isPrivate)
        #expect(read.passages == Self.content.passages)
        #expect(read.fields.isEmpty)
    }

    @Test func aCutOrAlteredFrameIsAnErrorNeverACrash() throws {
        var w = ByteWriter()
        try Self.content.write(to: &w)
        for cut in stride(from: 0, to: w.bytes.count - 1, by: 7) {
            var r = ByteReader(Array(w.bytes[..<cut]))
            #expect(throws: (any Error).self, "cut at \(cut)") { _ = try PageContent.read(from: &r) }
        }
        var huge = w.bytes
        huge.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0x7F])
        var r = ByteReader(huge)
        #expect(throws: (any Error).self) { _ = try PageContent.read(from: &r) }
    }
}
