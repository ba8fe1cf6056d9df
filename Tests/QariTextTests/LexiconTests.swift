import Foundation
import QariTestSupport
import Testing

@testable import QariText

/// Pronunciation lexicons (W3C PLS): read with their errors placed, applied before normalisation.
@Suite(.serialized) struct LexiconTests {
    static func lexicon(_ body: String, lang: String = "fr", alphabet: String = "ipa") throws(LexiconError) -> Lexicon {
        try Support.lexicon(body, lang: lang, alphabet: alphabet)
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

    @Test func theShippedLexiconsRead() throws {
        let paths = LexiconSet.shippedPaths(homes: [Support.repoDir.path])
        #expect(paths.contains { $0.hasSuffix("/fr.pls") } && paths.contains { $0.hasSuffix("/ar.pls") })
        #expect(paths.contains { $0.hasSuffix("/zgh.pls") })
        let set = try LexiconSet(paths: paths)
        #expect(set.lexicons.allSatisfy { $0.entries.count >= 5 })
    }
}
