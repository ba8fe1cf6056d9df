import Foundation
import QariTestSupport
import QariText
import Testing

@testable import QariSpeech

/// The Amazigh voices: what a listener hears for IRCAM Tifinagh and Latin, per variety.
@Suite(.serialized) struct AmazighTests {
    struct Example: Decodable {
        var tifinagh: String
        var latin: String
        var variety: String
        var ipa: String
    }

    static func examples() throws -> [Example] {
        let url = Support.sharedDir.appendingPathComponent("amazigh/examples.json")
        return try JSONDecoder().decode([Example].self, from: Data(contentsOf: url))
    }

    static func ipa(_ speaker: Speaker, _ text: String, _ voice: String) async throws -> [String] {
        PhonemeErrorRate.phonemes(try await speaker.phonemes(text, voice: VoiceCatalog.voice(named: voice)!, ipa: true))
    }

    static func ipa(_ text: String) -> [String] { PhonemeErrorRate.phonemes(text) }

    @Test(.enabled(if: Support.hasShared, "../shared is absent: the linguists' examples are not evaluated"))
    func everyExampleIsReadAsItsIPASaysAndBothScriptsAgree() async throws {
        let speaker = Speaker(pool: try await Support.pool())
        var errors = 0
        var total = 0
        for example in try Self.examples() {
            let expected = Self.ipa(example.ipa)
            let fromTifinagh = try await Self.ipa(speaker, example.tifinagh, example.variety)
            let fromLatin = try await Self.ipa(speaker, example.latin, example.variety)
            #expect(fromTifinagh == fromLatin, "\(example.tifinagh) and \(example.latin) read differently")
            let e = PhonemeErrorRate.errors(expected: expected, actual: fromTifinagh)
            // No word may be more than half wrong; the whole set must stay under the 10%.
            #expect(e * 2 <= expected.count, "\(example.tifinagh): \(fromTifinagh) for \(expected)")
            errors += e
            total += expected.count
        }
        #expect(Double(errors) / Double(total) <= 0.10, "PER \(errors)/\(total)")
        await speaker.pool.shutdown()
    }

    @Test func varietiesReadTheSameWrittenWordDifferently() async throws {
        let speaker = Speaker(pool: try await Support.pool())
        // ⵜⴰⵎⴰⵣⵉⵖⵜ: stops in zgh and shi; Central Atlas and Tarifit spirantize t and devoice ɣ before t.
        #expect(try await Self.ipa(speaker, "ⵜⴰⵎⴰⵣⵉⵖⵜ", "zgh") == Self.ipa("tamaziɣt"))
        #expect(try await Self.ipa(speaker, "ⵜⴰⵎⴰⵣⵉⵖⵜ", "tzm") == Self.ipa("θamaziχθ"))
        // Tachelhit keeps vowel-less words as written; zgh inserts schwa by the cluster rule.
        #expect(try await Self.ipa(speaker, "ⵜⴼⵙⵙⵜ", "shi") == Self.ipa("tfsːt"))
        #expect(try await Self.ipa(speaker, "ⴽⵔⵣ", "zgh") == Self.ipa("krəz"))
        #expect(try await Self.ipa(speaker, "ⴽⵔⵣ", "shi") == Self.ipa("krz"))
        #expect(try await Self.ipa(speaker, "ⵉⵎⴰⵣⵉⵖⵏ", "zgh") == Self.ipa("imaziɣən"))
        // Tarifit: ll → dʒː, l → trill, r lost before a consonant with the vowel lengthened, lt → tʃ.
        #expect(try await Self.ipa(speaker, "ⴰⵊⴻⵍⵍⵉⴷ", "rif") == Self.ipa("aʑədʒːið"))
        #expect(try await Self.ipa(speaker, "ⵜⴰⴷⴷⴰⵔⵜ", "rif") == Self.ipa("θaddaːθ"))
        #expect(try await Self.ipa(speaker, "ⵜⴰⴷⴷⴰⵔⵜ", "zgh") == Self.ipa("taddart"))
        #expect(try await Self.ipa(speaker, "ⵡⴻⵍⵜⵎⴰ", "rif") == Self.ipa("wətʃma"))
        // The one-consonant proclitic ⵏ 'of' takes a schwa before a consonant only.
        #expect(try await Self.ipa(speaker, "ⴰⴷⵍⵉⵙ ⵏ ⵓⵎⴰⵣⵉⵖ", "zgh") == Self.ipa("adlis n umaziɣ"))
        await speaker.pool.shutdown()
    }

    @Test func numbersAndDatesAreReadOut() async throws {
        let speaker = Speaker(pool: try await Support.pool())
        #expect(try await Self.ipa(speaker, "3", "zgh") == Self.ipa("krɑdˤ"))
        #expect(try await Self.ipa(speaker, "10", "zgh") == Self.ipa("mraw"))
        #expect(try await Self.ipa(speaker, "15", "zgh") == Self.ipa("smːus əd mraw"))
        #expect(AmazighNumbers.words(2011) == "alfayn u ḥḍac")
        #expect(AmazighNumbers.words(29) == "tsɛud u ɛcrin")
        #expect(AmazighNumbers.words(1_250) == "alf u mitin u xmsin")
        let written = try await Self.ipa(speaker, "29 ⵛⵓⵜⴰⵏⴱⵉⵔ 2011", "zgh")
        let numeric = try await Self.ipa(speaker, "29/09/2011", "zgh")
        #expect(written == numeric)
        #expect(written.count > 20 && !written.contains("2"), "\(written)")
        // Space-grouped thousands are one number.
        #expect(try await Self.ipa(speaker, "1 000", "zgh") == Self.ipa("alf"))
        await speaker.pool.shutdown()
    }

    /// After ⵓⵟⵟⵓⵏ (number) or n°, a number is an identifier: each group as written with its separators spoken
    /// (cerṭa, nnuqṭa, ɛla, as Moroccans say them), never a range or one big quantity; without a separator or a
    /// leading zero it stays a number.
    @Test func identifiersAfterTheWordForNumberAreReadGroupByGroup() async throws {
        let speaker = Speaker(pool: try await Support.pool())
        let identifier = try await Self.ipa(speaker, "ⵓⵟⵟⵓⵏ 1-11-140", "zgh")
        let spelled = try await Self.ipa(speaker, "ⵓⵟⵟⵓⵏ 1, ⵛⴻⵔⵟⴰ, 11, ⵛⴻⵔⵟⴰ, 140", "zgh")
        #expect(identifier == spelled, "\(identifier) vs \(spelled)")
        let counted = try await Self.ipa(speaker, "1-11-140", "zgh")
        #expect(identifier != counted)
        let law = try await Self.ipa(speaker, "ⵓⵟⵟⵓⵏ 31.08", "zgh")
        #expect(
            law == (try await Self.ipa(speaker, "ⵓⵟⵟⵓⵏ 31, ⵏⵏⵓⵇⵟⴰ, 0 8", "zgh")), "a law number is no decimal: \(law)")
        // The slash is said, the leading zero kept.
        #expect(
            try await Self.ipa(speaker, "ⵓⵟⵟⵓⵏ 065/13", "zgh")
                == (try await Self.ipa(speaker, "ⵓⵟⵟⵓⵏ 0 65, ⵄⵍⴰ, 13", "zgh")))
        #expect(
            try await Self.ipa(speaker, "n° 065-13", "zgh")
                == (try await Self.ipa(speaker, "n° 0 65, cerṭa, 13", "zgh")))
        // A plain number after it stays a number.
        let plain = AmazighFrontEnd.prepare("ⵓⵟⵟⵓⵏ 15", variety: .zgh).spoken.spokenString
        #expect(
            plain == AmazighFrontEnd.prepare("ⵓⵟⵟⵓⵏ", variety: .zgh).spoken.spokenString + " "
                + AmazighFrontEnd.prepare("15", variety: .zgh).spoken.spokenString, "\(plain)")
        await speaker.pool.shutdown()
    }

    @Test func aNonIRCAMLetterIsReadByItsNearestLetterWithAWarning() async throws {
        let speaker = Speaker(pool: try await Support.pool())
        // ⴾ (Tuareg yak) reads as ⴽ, never as "letter 2D3E".
        #expect(try await Self.ipa(speaker, "ⴰⴾⵍ", "zgh") == (try await Self.ipa(speaker, "ⴰⴽⵍ", "zgh")))
        let warnings = Speaker.warnings(for: "ⴰⴾⵍ")
        #expect(warnings.count == 1 && warnings[0].contains("U+2D3E") && warnings[0].contains("U+2D3D"))
        #expect(Speaker.warnings(for: "ⴰⵣⵓⵍ").isEmpty)
        await speaker.pool.shutdown()
    }

    @Test func mixedTifinagArabicAndFrenchAreEachReadByTheirVoice() async throws {
        let text = "ⴰⵣⵓⵍ مرحبا bonjour"
        let runs = ScriptRuns.split(text, voice: VoiceCatalog.voice(named: "zgh")!)
        #expect(runs.map(\.voice.id) == ["zgh", "ar", "fr"])
        let pool = try await Support.pool()
        let speaker = Speaker(pool: pool)
        let lines = try await speaker.phonemes(text, voice: VoiceCatalog.voice(named: "zgh")!, ipa: true)
            .split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first.map(String.init).map(Self.ipa) == Self.ipa("azul"))
        #expect(lines.last?.contains("ʒ") == true, "French bonjour: \(lines)")
        // Audio with one word mark per word, pointing at the caller's words.
        let spoken = try await Support.speak(pool, text, voice: "zgh")
        let words = spoken.marks.filter { $0.type == .word }.map { Support.substring(text, $0) }
        #expect(words == ["ⴰⵣⵓⵍ", "مرحبا", "bonjour"])
        #expect(Support.rms(spoken.samples) > 500)
        await pool.shutdown()
    }

    @Test func tifinagWordMarksPointAtEachWord() async throws {
        let pool = try await Support.pool()
        let text = "ⴰⵣⵓⵍ ⴼⵍⴰⵡⵏ. ⵜⴰⵏⵎⵎⵉⵔⵜ ⵏ ⵓⵎⴰⵣⵉⵖ 12!"
        for voice in AmazighVariety.allCases.map(\.rawValue) {
            let spoken = try await Support.speak(pool, text, voice: voice)
            let marks = spoken.marks.filter { $0.type == .word }
            #expect(
                marks.map { Support.substring(text, $0) } == ["ⴰⵣⵓⵍ", "ⴼⵍⴰⵡⵏ", "ⵜⴰⵏⵎⵎⵉⵔⵜ", "ⵏ", "ⵓⵎⴰⵣⵉⵖ", "12"],
                "\(voice)")
            #expect(Support.rms(spoken.samples) > 500, "\(voice)")
        }
        await pool.shutdown()
    }

    @Test func everyMnemonicTheFrontEndEmitsExistsInESpeak() async throws {
        let pool = try await Support.pool()
        // eSpeak silently drops the rest of a word at an unknown mnemonic, so each must come back intact.
        for m in AmazighG2P.mnemonicInventory {
            let echoed = try await pool.phonemes(text: "[[a\(m)a]]", voice: "zgh", ipa: false)
            #expect(echoed.replacing("'", with: "").hasSuffix("\(m)a"), "\(m) → \(echoed)")
        }
        #expect(!AmazighG2P.isValid("at.a"))
        await pool.shutdown()
    }
}
