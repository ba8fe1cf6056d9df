import QariTestSupport
import QariText
import Testing

@testable import QariSpeech

/// The voices themselves: no symbol in any voice makes eSpeak switch language.
@Suite(.serialized) struct SymbolsInEveryVoiceTests {
    @Test func noSymbolSwitchesAnyVoiceToAnotherLanguage() async throws {
        let speaker = Speaker(pool: try await Support.pool())
        let symbols = "/ & + = ° % ‰ § № # * @ ~ ± × ÷ → … • ▪ ■ ● ◦ ► ✓ ✔ ★ © ® ™ \\ _ | ^ ` ≤ ≥ < >"
        let texts = [
            "ar": "كلمة \(symbols) كلمة 5% و3/4 و%15", "fr": "mot \(symbols) mot 5 % et 3/4",
            "zgh": "ⴰⵣⵓⵍ \(symbols) ⴰⵎⵓⵔ 5%", "shi": "ⴰⵣⵓⵍ \(symbols) ⴰⵎⵓⵔ", "tzm": "ⴰⵣⵓⵍ \(symbols) ⴰⵎⵓⵔ",
            "rif": "ⴰⵣⵓⵍ \(symbols) ⴰⵎⵓⵔ",
        ]
        for (voice, text) in texts.sorted(by: { $0.key < $1.key }) {
            let phonemes = try await speaker.phonemes(text, voice: VoiceCatalog.voice(named: voice)!, ipa: false)
            #expect(!phonemes.contains("(en)") && !phonemes.contains("(fr)"), "\(voice): \(phonemes)")
        }
        await speaker.pool.shutdown()
    }
}
