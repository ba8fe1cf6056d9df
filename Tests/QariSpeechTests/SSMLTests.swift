import Foundation
import QariTestSupport
import Testing

@testable import QariSpeech

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

    @Test func marksNameTheirMarkAndWordsPointIntoTheMarkup() async throws {
        let pool = try await Support.pool()
        let text =
            #"<speak>Bonjour <mark name="here"/>le <prosody rate="slow">2e</prosody> guichet &amp; <break time="400ms"/>la caisse.</speak>"#
        let stream = try await Speaker(pool: pool).speak(
            SpeechRequest(text: text, voice: VoiceCatalog.voice(named: "fr")!, options: .init(ssml: true)))
        var marks: [Mark] = []
        var total = 0
        for try await event in stream {
            if case .marks(let m) = event { marks += m }
            if case .end(let n) = event { total = n }
        }
        #expect(total > 22050)
        let words = marks.filter { $0.type == .word }.map { Support.substring(text, $0) }
        #expect(words == ["Bonjour", "le", "2e", "guichet", "la", "caisse"])
        let named = marks.filter { $0.type == .mark }
        #expect(named.map(\.name) == ["here"])
        let le = marks.first { $0.type == .word && Support.substring(text, $0) == "le" }!
        #expect(abs(named[0].timeMs - le.timeMs) < 50)
        await pool.shutdown()
    }

    @Test func eachVoiceRunIsSpokenByItsVoice() async throws {
        let pool = try await Support.pool()
        let mixed = #"<speak>مرحبا بكم <voice xml:lang="fr">Bonjour à tous</voice></speak>"#
        let stream = try await Speaker(pool: pool).speak(
            SpeechRequest(text: mixed, voice: VoiceCatalog.voice(named: "ar")!, options: .init(ssml: true)))
        var samples: [Int16] = []
        var marks: [Mark] = []
        for try await event in stream {
            if case .audio(let s) = event { samples += s }
            if case .marks(let m) = event { marks += m }
        }
        let words = marks.filter { $0.type == .word }
        #expect(words.map { Support.substring(mixed, $0) } == ["مرحبا", "بكم", "Bonjour", "à", "tous"])
        #expect(words.map(\.timeMs) == words.map(\.timeMs).sorted())
        #expect(samples.count > 22050)
        // Cut into one run per language, each given to eSpeak without the voice element.
        let segments = try await SSMLDocument(mixed).segments { text, _ in SpokenText.verbatim(text) }
        #expect(segments.map(\.language) == [nil, "fr"])
        #expect(segments.map(\.spoken.spokenString) == ["<speak>مرحبا بكم </speak>", "<speak>Bonjour à tous</speak>"])
        // SSML is parsed once, where the request was checked: the speaker speaks the document it was given.
        let given = try SSMLDocument(#"<speak><voice xml:lang="fr">Bonjour à tous</voice></speak>"#)
        var spoken = 0
        for try await event in try await Speaker(pool: pool).speak(
            SpeechRequest(
                text: #"<speak><voice xml:lang="fr">Bonjour à tous</voice></speak>"#,
                voice: VoiceCatalog.voice(named: "ar")!, options: .init(ssml: true), ssml: given))
        {
            if case .marks(let m) = event { spoken += m.filter { $0.type == .word }.count }
        }
        #expect(spoken == 3)
        await pool.shutdown()
    }
}
