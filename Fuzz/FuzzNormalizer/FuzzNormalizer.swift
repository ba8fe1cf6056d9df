import FuzzDriver
import QariText

/// libFuzzer: any text through what each voice is given (numbers, dates, money, symbols, fractions, measures,
/// abbreviations, the Amazigh front end) and the numbers written out, as `qari normalize` prints them.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    for language in [TextNormalizer.Language.arabic, .french] {
        _ = TextNormalizer.normalize(text, language: language)
    }
    for voice in voices {
        _ = TextPreparation.normalized(text, voice: voice, lexicons: LexiconSet())
    }
    return 0
}

let voices = ["ar", "fr", "zgh", "rif"].compactMap { VoiceCatalog.voice(named: $0) }

@main enum FuzzNormalizerProgram: FuzzTarget {}
