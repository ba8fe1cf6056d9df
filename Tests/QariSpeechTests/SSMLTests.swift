import Foundation
import QariTestSupport
import QariText
import Testing

@testable import QariSpeech

/// SSML spoken: marks name their mark, each voice run spoken by its voice.
@Suite(.serialized) struct SSMLSpeechTests {
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
