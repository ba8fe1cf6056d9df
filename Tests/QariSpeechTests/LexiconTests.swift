import Foundation
import QariTestSupport
import Testing

@testable import QariSpeech

/// Pronunciation lexicons (W3C PLS): read with their errors placed, applied before normalisation.
@Suite(.serialized) struct LexiconTests {
    static func lexicon(_ body: String, lang: String = "fr", alphabet: String = "ipa") throws(LexiconError) -> Lexicon {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="\(alphabet)" xml:lang="\(lang)">
            \(body)
            </lexicon>
            """
        return try Lexicon(data: Data(xml.utf8), path: "test.pls")
    }

    @Test func ipaBecomesEspeakPhonemesAndAliasesStayWords() throws {
        let lexicon = try Self.lexicon(
            """
            <lexeme><grapheme>Mohammed</grapheme><grapheme>Mohamed</grapheme><phoneme>mɔˈamɛd</phoneme></lexeme>
            <lexeme><grapheme>ADD</grapheme><alias>Agence de développement du digital</alias></lexeme>
            """)
        #expect(lexicon.language == "fr")
        #expect(lexicon.entries.count == 2)
        #expect(lexicon.entries[0].graphemes == ["Mohammed", "Mohamed"])
        #expect(lexicon.entries[0].phonemes == "mO'amEd")
        #expect(lexicon.entries[0].line == 3)
        #expect(lexicon.entries[1].alias == "Agence de développement du digital")
        let own = try Self.lexicon(
            "<lexeme><grapheme>Rabat</grapheme><phoneme>rab'at</phoneme></lexeme>", alphabet: "x-espeak")
        #expect(own.entries[0].phonemes == "rab'at")
    }

    @Test(arguments: [
        // (body, line, message): where a linguist's mistake is, so it can be fixed.
        ("<lexeme><grapheme>Rabat</grapheme><phoneme>raβat</phoneme></lexeme>", 3, "unknown ipa phoneme \"β\""),
        ("<lexeme><grapheme>Rabat</grapheme>\n<phoneme>rabat</phonme></lexeme>", 4, "not well-formed"),
        ("<lexeme><phoneme>rabat</phoneme></lexeme>", 3, "without <grapheme>"),
        ("<lexeme><grapheme>Rabat</grapheme></lexeme>", 3, "without <phoneme> or <alias>"),
        ("<lexeme><grapheme>Rabat</grapheme><sound>x</sound></lexeme>", 3, "<sound> is not allowed"),
    ])
    func aBrokenFileIsRefusedWithItsLineAndColumn(_ body: String, _ line: Int, _ message: String) {
        do {
            _ = try Self.lexicon(body)
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.column > 0, "\(error)")
            #expect(error.description.hasPrefix("test.pls:\(line):"), "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    /// eSpeak's own phonemes: a symbol the voice does not have is named (it once looped forever, matching the empty
    /// mnemonic of IPA's syllable mark).
    @Test func anUnknownEspeakPhonemeIsNamedNotLoopedOn() {
        do {
            _ = try Self.lexicon(
                "<lexeme><grapheme>délivré</grapheme><phoneme>d'elivRe</phoneme></lexeme>", alphabet: "x-espeak")
            Issue.record("accepted R, which eSpeak's French does not have")
        } catch {
            #expect(error.message.contains("\"R\""), "\(error)")
        }
    }

    @Test func aLexiconWithoutLanguageOrInTheWrongNamespaceIsRefused() {
        #expect(throws: LexiconError.self) {
            try Lexicon(data: Data("<lexicon version=\"1.0\"></lexicon>".utf8), path: "x.pls")
        }
        #expect(throws: LexiconError.self) { try Self.lexicon("", lang: "xx") }
    }

    @Test func onlyWholeWordsOfTheLexiconsLanguageAreReplacedAndTracedBack() throws {
        let set = LexiconSet([
            try Self.lexicon(
                """
                <lexeme><grapheme>Maroc Digital 2030</grapheme><alias>Maroc Digital deux mille trente</alias></lexeme>
                <lexeme><grapheme>Hassan</grapheme><phoneme>aˈsan</phoneme></lexeme>
                """)
        ])
        let text = "Le plan Maroc Digital 2030 et Hassanein, avenue Hassan."
        let spoken = set.apply(text, language: "fr-MA")
        #expect(spoken.spokenString == "Le plan Maroc Digital deux mille trente et Hassanein, avenue [[a'san]].")
        #expect(set.apply(text, language: "ar").spokenString == text)
        // The alias still points at what the page wrote.
        let start = Array(spoken.spokenString.unicodeScalars).firstIndex(of: "d")!
        let r = spoken.originalRange(spokenStart: start, length: 4)
        #expect(String(String.UnicodeScalarView(Array(text.unicodeScalars)[r])) == "Maroc Digital 2030")
        #expect(set.fingerprint != LexiconSet([]).fingerprint)
        #expect(set.fingerprint == LexiconSet(set.lexicons).fingerprint)
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
        for id in ["zgh", "shi", "tzm", "rif"] {
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

    @Test func theShippedLexiconsRead() throws {
        let paths = LexiconSet.shippedPaths()
        #expect(paths.contains { $0.hasSuffix("/fr.pls") } && paths.contains { $0.hasSuffix("/ar.pls") })
        #expect(paths.contains { $0.hasSuffix("/zgh.pls") })
        let set = try LexiconSet(paths: paths)
        #expect(set.lexicons.allSatisfy { $0.entries.count >= 5 })
    }
}
