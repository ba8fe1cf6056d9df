import FuzzDriver
import QariPage

/// libFuzzer: any bytes as a page, decoded (the first byte picks a charset label to try), parsed by libgumbo,
/// extracted and transformed. A crash or a sanitizer report is a failure.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let all = Array(UnsafeRawBufferPointer(start: start, count: count))
    let labels: [String?] = [nil, "utf-8", "windows-1256", "iso-8859-6", "gb2312", "shift_jis", "utf-16le", "bogus"]
    let charset = labels[Int(all[0]) % labels.count]
    let bytes = Array(all.dropFirst())
    var options = PageOptions()
    options.timeLimitMilliseconds = 2000
    guard let document = try? PageReader.parseHere(bytes: bytes, charset: charset, options: options) else { return 0 }
    if let content = try? PageReader.extract(document, options: options) {
        for passage in content.passages { precondition(!passage.text.isEmpty, "an empty passage") }
    }
    let modes = DisplayTransform.Modes(contrast: .dark, scale: 200)
    _ = DisplayTransform.transform(document, modes: modes)
    return 0
}

@main enum FuzzPageProgram: FuzzTarget {}
