import Foundation
import QariTestSupport
import QariText
import Testing

@testable import QariSpeech

/// Pronunciation lexicons spoken: what the voices say, and marks still on the caller's text.
@Suite(.serialized) struct LexiconSpeechTests {
    static func lexicon(_ body: String, lang: String = "fr", alphabet: String = "ipa") throws(LexiconError) -> Lexicon {
        try Support.lexicon(body, lang: lang, alphabet: alphabet)
    }

    @Test func anAliasAndAnIPAEntryEachChangeWhatIsSpokenAndMarksStillPointAtTheText() async throws {
        let pool = try await Support.pool()
        let fr = VoiceCatalog.voice(named: "fr")!
        let plain = Speaker(pool: pool)
        let lexicons = LexiconStore(
            LexiconSet([
                try Self.lexicon(
                    """
                    <lexeme><grapheme>Mohammed</grapheme><phoneme>mɔˈamɛd</phoneme></lexeme>
                    <lexeme><grapheme>ADD</grapheme><alias>Agence de développement du digital</alias></lexeme>
                    """)
            ]))
        let linguist = Speaker(pool: pool, lexicons: lexicons)
        // Without the lexicon eSpeak's French switches to English rules for "Mohammed"; with it, never.
        let before = try await plain.phonemes("Mohammed", voice: fr, ipa: false)
        let after = try await linguist.phonemes("Mohammed", voice: fr, ipa: false)
        #expect(before != after && !after.contains("(en)") && after.contains("mO'amEd"), "\(before) → \(after)")
        let alias = try await linguist.phonemes("ADD", voice: fr, ipa: false)
        #expect(alias.contains("aZ'A~s"), "\(alias)")
        // Speech: the words are marked where the caller wrote them.
        let text = "Bonjour Mohammed, voici l'ADD."
        var marks: [Mark] = []
        var samples = 0
        for try await event in try await linguist.speak(SpeechRequest(text: text, voice: fr)) {
            if case .marks(let m) = event { marks += m.filter { $0.type == .word } }
            if case .audio(let a) = event { samples += a.count }
        }
        let scalars = Array(text.unicodeScalars)
        let words = marks.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.start + $0.length])) }
        #expect(words.contains("Mohammed") && words.contains("Bonjour"), "\(words)")
        #expect(samples > 0)
        await pool.shutdown()
    }

    /// Amazigh: Tifinagh spells names of Arabic origin without some vowels; a zgh lexicon says them for every
    /// Amazigh voice, a variety's lexicon for that variety only, before the front end reads the rest.
    @Test func anAmazighLexiconChangesWhatEveryAmazighVoiceSays() async throws {
        let standard = try Self.lexicon(
            """
            <lexeme><grapheme>ⴰⵅⵏⵏⵓⵛ</grapheme><phoneme>axanːuʃ</phoneme></lexeme>
            <lexeme><grapheme>ⵉⵔⴽⴰⵎ</grapheme><alias>ⵜⴰⵙⴳⴰ</alias></lexeme>
            """, lang: "zgh")
        // IPA in the Amazigh voices' mnemonics; a long consonant is a geminate, as the front end writes it.
        #expect(standard.entries[0].phonemes == "aXannuS")
        let tarifit = try Self.lexicon(
            "<lexeme><grapheme>ⵍⵎⵖⵔⵉⴱ</grapheme><phoneme>ʁəɾib</phoneme></lexeme>", lang: "rif")
        #expect(throws: LexiconError.self) {
            try Self.lexicon("<lexeme><grapheme>ⴰⵎⴰⵏ</grapheme><phoneme>amɛn</phoneme></lexeme>", lang: "zgh")
        }
        let pool = try await Support.pool()
        let plain = Speaker(pool: pool)
        let linguist = Speaker(pool: pool, lexicons: LexiconStore(LexiconSet([standard, tarifit])))
        for id in AmazighVariety.allCases.map(\.rawValue) {
            let voice = VoiceCatalog.voice(named: id)!
            let before = try await plain.phonemes("ⴰⵙⵙ ⴰⵅⵏⵏⵓⵛ", voice: voice, ipa: false)
            let after = try await linguist.phonemes("ⴰⵙⵙ ⴰⵅⵏⵏⵓⵛ", voice: voice, ipa: false)
            #expect(!before.contains("aXannuS") && after.hasSuffix("aXannuS"), "\(id): \(before) → \(after)")
            // The alias is read by the front end like any Tifinagh.
            #expect(
                try await linguist.phonemes("ⵉⵔⴽⴰⵎ", voice: voice, ipa: false)
                    == (try await plain.phonemes("ⵜⴰⵙⴳⴰ", voice: voice, ipa: false)))
            let morocco = try await linguist.phonemes("ⵍⵎⵖⵔⵉⴱ", voice: voice, ipa: false)
            #expect((morocco == "Q\"@*ib") == (id == "rif"), "\(id): \(morocco)")
        }
        // Speech: the name is marked where the caller wrote it.
        let text = "ⴰⵙⵙ ⴰⵅⵏⵏⵓⵛ ⴷ ⵉⵔⴽⴰⵎ"
        var marks: [Mark] = []
        for try await event in try await linguist.speak(
            SpeechRequest(text: text, voice: VoiceCatalog.voice(named: "zgh")!))
        {
            if case .marks(let m) = event { marks += m.filter { $0.type == .word } }
        }
        let scalars = Array(text.unicodeScalars)
        let words = marks.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.start + $0.length])) }
        #expect(words == ["ⴰⵙⵙ", "ⴰⵅⵏⵏⵓⵛ", "ⴷ", "ⵉⵔⴽⴰⵎ"], "\(words)")
        await pool.shutdown()
    }
}
