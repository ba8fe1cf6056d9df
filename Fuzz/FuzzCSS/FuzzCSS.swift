import FuzzDriver

@testable import QariPage

/// libFuzzer: any text as CSS, tokenized, serialized, and rewritten by each display mode (as a stylesheet and as a
/// style attribute). Serializing the tokens and tokenizing again must give the same tokens (whitespace aside: a
/// lone backslash is written with a newline after it, so that it is not read as an escape).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let source = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let tokens = CSS.tokenize(source)
    let again = CSS.tokenize(CSS.serialize(tokens))
    precondition(
        again.filter { $0 != .whitespace } == tokens.filter { $0 != .whitespace },
        "tokenize(serialize(tokens)) gives other tokens")
    for modes in [
        DisplayTransform.Modes(contrast: .dark), DisplayTransform.Modes(contrast: .light, scale: 300),
        DisplayTransform.Modes(scale: 150),
    ] {
        _ = CSSRewriter.stylesheet(source, modes: modes)
        _ = CSSRewriter.declarations(source, modes: modes)
    }
    return 0
}

@main enum FuzzCSSProgram: FuzzTarget {}
