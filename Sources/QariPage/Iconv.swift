import Glibc

/// glibc's iconv, decoding as browsers do: a byte sequence the encoding does not define becomes U+FFFD.
enum Iconv {
    /// `bytes` in encoding `name` as text, or nil when iconv lacks the encoding.
    static func decode(_ bytes: [UInt8], from name: String) -> String? {
        let cd = iconv_open("UTF-8", name)
        guard let cd, Int(bitPattern: cd) != -1 else { return nil }
        defer { iconv_close(cd) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var chunk = [UInt8](repeating: 0, count: 16384)
        var input = bytes
        input.withUnsafeMutableBufferPointer { inBuffer in
            chunk.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress.map {
                    UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self)
                }
                var inLeft = inBuffer.count
                while true {
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let result = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                    out.append(contentsOf: outBuffer.prefix(outBuffer.count - outLeft))
                    if result != -1 {
                        if inLeft == 0 { break }
                        continue
                    }
                    switch errno {
                    case E2BIG: continue
                    case EILSEQ:
                        // An undefined sequence: one replacement character, and on from the next byte.
                        out += [0xEF, 0xBF, 0xBD]
                        inPointer = inPointer.map { $0 + 1 }
                        inLeft -= 1
                        if inLeft == 0 { return }
                    default:
                        // EINVAL: the input ends inside a character.
                        out += [0xEF, 0xBF, 0xBD]
                        return
                    }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
