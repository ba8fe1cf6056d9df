import QariText
import Testing

@testable import QariPage
@testable import QariReading
@testable import QariSpeech

/// Page passages and speech runs cut text by one script table: they must agree on every letter.
@Suite struct ScriptAgreementTests {
    static let blocks: [ClosedRange<UInt32>] = [
        0x0000...0x024F, 0x0250...0x02AF, 0x0370...0x03FF, 0x1E00...0x1EFF,  // Latin, IPA, Greek look-alikes
        0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF,  // Arabic
        0x2D30...0x2D7F,  // Tifinagh
    ]

    /// The languages a page passage of `text` (in an Amazigh block) is cut into.
    static func pageLanguages(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return PassageBuilder.scriptPieces(scalars, lang: "zgh").map(\.1)
    }

    /// The voices a speech request of `text` in the zgh voice is read with.
    static func speechLanguages(_ text: String) -> [String] {
        ScriptRuns.split(text, voice: VoiceCatalog.voice(named: "zgh")!).map(\.voice.language)
    }

    @Test func everyCodePointOfTheArabicTifinaghAndLatinBlocksIsReadByTheSameLanguage() {
        var checked = 0
        var disagreements: [String] = []
        for block in Self.blocks {
            for value in block {
                guard let c = Unicode.Scalar(value), c.properties.generalCategory != .control else { continue }
                // A Tifinagh word first, so Latin letters go to French in both, then the letter as a word.
                let text = "ⴰⵣⵓⵍ " + String(c) + "a"
                let page = Self.pageLanguages(text)
                let speech = Self.speechLanguages(text)
                checked += 1
                if page != speech {
                    disagreements.append(String(format: "U+%04X", value) + " page \(page) speech \(speech)")
                }
            }
        }
        #expect(checked > 2000)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// Latin inside Arabic is read in French by a speech request as on a page, but for the Latin words the Arabic
    /// normaliser says in Arabic (`DH`, `CNIE`, `N°`) and an address amid Arabic (issue 33).
    @Test(arguments: [
        // An address amid Arabic stays in the Arabic run around it: read as an address, not as a link.
        ("يرجى زيارة www.service-public.ma للمزيد", ["ar"]),
        ("يرجى visiter www.service-public.ma للمزيد", ["ar", "fr", "ar"]),
        ("أدلوا بشهادة RIB من فضلكم", ["ar", "fr", "ar"]),
        ("قال الوزير: « La démarche est simple » ثم أضاف", ["ar", "fr", "ar"]),
        ("الرسوم 20 DH فقط", ["ar"]),
        ("البطاقة CNIE رقم N° 7", ["ar"]),
        ("شبكة 5G في المغرب", ["ar", "fr", "ar"]),
    ])
    func latinInsideArabicIsFrenchInRequestsAsOnPages(_ text: String, _ languages: [String]) {
        let page = PassageBuilder.scriptPieces(Array(text.unicodeScalars), lang: "ar").map(\.1)
        let speech = ScriptRuns.split(text, voice: VoiceCatalog.voice(named: "ar")!).map(\.voice.language)
        #expect(page == languages)
        #expect(speech == languages)
    }

    @Test func irCAMLatinLettersAndTheSeparatorMark() {
        // ɛ and ɣ are IRCAM Latin letters; U+2D70 is punctuation and switches nothing.
        #expect(Self.pageLanguages("ⴰⵣⵓⵍ ɛli") == ["zgh", "fr"])
        #expect(Self.speechLanguages("ⴰⵣⵓⵍ ɛli") == ["zgh", "fr"])
        #expect(Self.pageLanguages("ⴰⵣⵓⵍ ⵰ ⵜⴰⵎⴰⵣⵉⵖⵜ") == ["zgh"])
        #expect(Self.speechLanguages("ⴰⵣⵓⵍ ⵰ ⵜⴰⵎⴰⵣⵉⵖⵜ") == ["zgh"])
    }
}
