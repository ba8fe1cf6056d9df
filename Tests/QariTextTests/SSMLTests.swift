import Foundation
import QariTestSupport
import Testing

@testable import QariText

/// SSML as the text front end reads it: malformed markup refused with its place.
@Suite(.serialized) struct SSMLTests {
    @Test(arguments: [
        ("<speak>Bonjour <foo>x</foo></speak>", 1, 16, "<foo> is not supported"),
        ("<speak>\n<p>Bonjour</s></speak>", 2, 11, "</s> closes <p>"),
        ("<speak>Bonjour", 1, 1, "<speak> is never closed"),
        ("<speak><mark/></speak>", 1, 8, "<mark> needs a name attribute"),
        ("<speak><break time=300ms/></speak>", 1, 20, "a quoted value was expected"),
        ("<speak>R & D</speak>", 1, 10, "\"&\" must start an entity"),
        ("Bonjour", 1, 1, "must start with <speak>"),
        ("<speak><prosody speed=\"fast\">x</prosody></speak>", 1, 17, "<prosody> has no attribute speed"),
    ])
    func malformedMarkupIsRefusedWithItsPlace(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        do {
            _ = try SSMLDocument(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    /// Inputs the SSML fuzzer crashed on (Tests/Fuzz/regressions/FuzzSSML-*), and nesting far too deep: refused with
    /// a line and column, never a crash.
    @Test func deepNestingAndTheFuzzersFindsAreRefusedNotCrashes() throws {
        let deep =
            "<speak>" + String(repeating: "<s>", count: 5000) + "x" + String(repeating: "</s>", count: 5000)
            + "</speak>"
        #expect(throws: SSMLError.self) { try SSMLDocument(deep) }
        do {
            _ = try SSMLDocument(deep)
        } catch {
            #expect(error.message.contains("nested more than") && error.line == 1 && error.column > 64 * 3)
        }
        let shallow =
            "<speak>" + String(repeating: "<s>", count: 20) + "x" + String(repeating: "</s>", count: 20)
            + "</speak>"
        #expect(throws: Never.self) { try SSMLDocument(shallow) }
        let folder = Support.repoDir.appendingPathComponent("Tests/Fuzz/regressions")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("FuzzSSML-") {
            let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
            _ = try? SSMLDocument(text)
        }
    }
}
