import FuzzDriver
import QariText

/// libFuzzer: any text through the Amazigh front end in each variety; what it hands eSpeak must be valid phonemes.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    for variety in AmazighVariety.allCases {
        _ = AmazighFrontEnd.prepare(text, variety: variety)
    }
    return 0
}

@main enum FuzzAmazighProgram: FuzzTarget {}
