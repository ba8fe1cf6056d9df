import QariSpeech

/// libFuzzer: any text through the Arabic and French normalisers (numbers, dates, money, abbreviations).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    for language in [TextNormalizer.Language.arabic, .french] {
        _ = TextNormalizer.normalize(text, language: language)
    }
    return 0
}
