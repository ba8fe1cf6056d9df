import Foundation
import Logging
import QariTestSupport
import QariText
import Testing

@testable import QariPage
@testable import QariReading
@testable import QariSpeech

/// A page read as passages: each mark names its passage and a word of that passage's text.
@Suite(.serialized) struct PagePlanTests {
    @Test func marksCarryThePassageAndAnOffsetInItsText() async throws {
        let html = Array(try Data(contentsOf: Support.samplesDir.appendingPathComponent("pages/sample-fr.html")))
        let content = try await PageService(options: PageOptions()).read(bytes: html, charset: nil)
        let plan = try PagePlan(content: content)
        let speaker = Speaker(pool: try await Support.pool())
        var marks: [Mark] = []
        for try await event in try await speaker.speak(passages: plan.passages, options: SynthesisOptions()) {
            if case .marks(let m) = event { marks += m }
        }
        await speaker.pool.shutdown()
        let words = marks.filter { $0.type == .word }
        // Every word of every passage, in order, each mark on its own passage's text.
        let heard = words.map { m in
            Support.words(Support.substring(plan.content.passages[m.passage].text, m)).first ?? ""
        }
        // The words as marks count them: an address's spoken parts each (issue 33), else whitespace-delimited.
        let written = plan.content.passages.flatMap { p in
            let scalars = Array(p.text.unicodeScalars)
            return WordRanges.of(scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
        }
        #expect(heard == written)
        #expect(written.contains("service") && written.contains("public"), "the sample's address is not in parts")
        #expect(words.map(\.passage) == words.map(\.passage).sorted())
        #expect(Set(words.map(\.passage)) == Set(plan.content.passages.indices))
        let document = plan.document(marks: marks, durationMs: 1)
        #expect(document.marks.allSatisfy { $0.offset + $0.length <= plan.content.passages[$0.passage].text.count })
    }

    @Test func anEmptyPageOrAnUnknownVoiceIsRefused() throws {
        let empty = PageContent(lang: "fr", title: "", passages: [])
        #expect(throws: ReadingError.nothingToRead) { try PagePlan(content: empty) }
        let one = PageContent(lang: "fr", title: "", passages: [Passage(lang: "zgh", text: "ⴰⵣⵓⵍ", locator: [])])
        #expect(throws: ReadingError.unknownVoice(lang: "zgh", voice: "xx")) {
            try PagePlan(content: one, overrides: ["zgh": "xx"])
        }
        #expect(try PagePlan(content: one, overrides: ["zgh": "shi"]).voices.map(\.id) == ["shi"])
    }

    @Test func thePageWorkerAndThisProcessGiveTheSameContent() async throws {
        let pool = PageWorker.pool(.pages(workers: 1, command: Support.pageWorkerCommand()), logger: .init(label: "t"))
        try await pool.start()
        var seen = (fields: false, isPrivate: false, attribute: false)
        for url in try Support.samplePages() {
            let bytes = Array(try Data(contentsOf: url))
            let here = try await PageService(options: PageOptions()).read(bytes: bytes, charset: nil)
            let there = try await PageService(pool: pool, options: PageOptions()).read(bytes: bytes, charset: nil)
            #expect(
                here.passages == there.passages && here.lang == there.lang && here.title == there.title
                    && here.fields == there.fields && here.isPrivate == there.isPrivate,
                "\(url.lastPathComponent)")
            seen.fields = seen.fields || !there.fields.isEmpty
            seen.isPrivate = seen.isPrivate || there.isPrivate
            seen.attribute = seen.attribute || there.passages.contains { $0.locator.contains { $0.attribute != nil } }
        }
        // The samples hold forms, private pages and images read by their text: all of it crosses the frame.
        #expect(seen.fields && seen.isPrivate && seen.attribute)
        await #expect(throws: PageError.self) {
            _ = try await PageService(pool: pool, options: PageOptions()).read(bytes: [0xC3, 0x28], charset: "utf-8")
        }
        do {
            _ = try await PageService(pool: pool, options: PageOptions()).transform(
                bytes: Array("<p>x</p>".utf8), charset: nil, modes: ["huge"])
            Issue.record("an unknown mode was accepted")
        } catch ReadingError.unknownMode(let detail) {
            #expect(detail.hasPrefix("unknown mode \"huge\""))
        }
        await pool.shutdown()
    }
}
