import FuzzDriver
import QariText

/// libFuzzer: any text as SSML: parsed, or refused with a line and column inside the text.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let document = try SSMLDocument(text)
        precondition(document.source.count == text.unicodeScalars.count)
    } catch {
        let lines = text.unicodeScalars.filter { $0 == "\n" }.count + 1
        precondition(error.line >= 1 && error.line <= max(1, lines), "error line \(error.line) of \(lines)")
        precondition(error.column >= 1, "error column \(error.column)")
    }
    return 0
}

@main enum FuzzSSMLProgram: FuzzTarget {}
