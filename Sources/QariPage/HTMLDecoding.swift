/// Page bytes to text: the encoding from a BOM, the transport's charset, or the page's `<meta charset>`.
public enum HTMLDecoding {
    /// Why a page could not be decoded.
    public enum Failure: Error, Equatable, Sendable, Codable, CustomStringConvertible {
        /// The bytes are not valid in the page's encoding (byte offset of the first bad sequence).
        case invalid(encoding: String, offset: Int)
        /// The page names an encoding Qari does not read.
        case unsupported(String)

        public var description: String {
            switch self {
            case .invalid(let encoding, let offset): "the page is not valid \(encoding): bad bytes at offset \(offset)"
            case .unsupported(let name): "the page's encoding \"\(name)\" is not supported (use UTF-8)"
            }
        }
    }

    /// The page's text, by the HTML standard's sniffing order: a BOM, the transport's `charset` (an HTTP
    /// `Content-Type` parameter, refused when it names no encoding), UTF-8 when the bytes are UTF-8 beyond ASCII,
    /// the page's `<meta charset>` (unknown labels ignored, as browsers do), else UTF-8, or when the bytes are not
    /// UTF-8 the locale's legacy encoding (windows-1256 for an Arabic page, windows-1252 otherwise).
    public static func decode(_ bytes: [UInt8], charset: String? = nil) throws(Failure) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return try utf8(Array(bytes.dropFirst(3))) }
        if bytes.starts(with: [0xFF, 0xFE]) { return try utf16(Array(bytes.dropFirst(2)), littleEndian: true) }
        if bytes.starts(with: [0xFE, 0xFF]) { return try utf16(Array(bytes.dropFirst(2)), littleEndian: false) }
        if let charset {
            guard let encoding = WebEncoding(label: charset) else { throw .unsupported(charset) }
            return try decode(bytes, as: encoding, label: charset)
        }
        // Bytes that are valid UTF-8 beyond ASCII are UTF-8 whatever the page declares: a page saved or converted
        // keeps its old `<meta charset>`, and legacy text is almost never valid UTF-8 by chance.
        if bytes.contains(where: { $0 >= 0x80 }), let text = String(validating: bytes, as: UTF8.self) { return text }
        if let (declared, label) = metaCharset(bytes) {
            var encoding = declared
            // A page cannot declare itself UTF-16 from inside ASCII-compatible bytes (HTML's prescan).
            if encoding == .utf16le || encoding == .utf16be { encoding = .utf8 }
            if encoding == .xUserDefined { encoding = .windows1252 }
            return try decode(bytes, as: encoding, label: label)
        }
        if let text = try? utf8(bytes) { return text }
        return try decode(bytes, as: declaresArabic(bytes) ? .windows1256 : .windows1252, label: "")
    }

    static func decode(_ bytes: [UInt8], as encoding: WebEncoding, label: String) throws(Failure) -> String {
        switch encoding {
        case .utf8: return try utf8(bytes)
        case .utf16le: return try utf16(bytes, littleEndian: true)
        case .utf16be: return try utf16(bytes, littleEndian: false)
        case .windows1252: return singleByte(bytes, high: windows1252)
        case .windows1256: return singleByte(bytes, high: windows1256)
        case .xUserDefined:
            return String(
                String.UnicodeScalarView(
                    bytes.map { Unicode.Scalar($0 < 0x80 ? UInt32($0) : 0xF700 + UInt32($0)) ?? "\u{FFFD}" }))
        case .replacement: throw .unsupported(label)
        case .iconv(let name):
            guard let text = Iconv.decode(bytes, from: name) else { throw .unsupported(label) }
            return text
        }
    }

    /// Whether the page's `<html lang>`, in its first kilobytes, is Arabic (for the legacy fallback).
    static func declaresArabic(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        guard let html = head.firstRange(of: "<html") else { return false }
        let tag = head[html.upperBound...].prefix { $0 != ">" }
        return tag.contains("lang=\"ar") || tag.contains("lang='ar") || tag.contains("lang=ar")
    }

    /// UTF-8, with a stray bad sequence (one in a thousand bytes at most, a cut multi-byte character in a CMS's
    /// excerpt) read as U+FFFD as browsers do; more than that is not UTF-8, and the page is refused.
    static func utf8(_ bytes: [UInt8]) throws(Failure) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        var offset = 0
        var firstBad: Int?
        var bad = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                scalars.append(s)
                offset += UTF8.width(s)
            case .emptyInput:
                if bad * 1000 > bytes.count, let firstBad { throw .invalid(encoding: "UTF-8", offset: firstBad) }
                return String(scalars)
            case .error:
                if firstBad == nil { firstBad = offset }
                bad += 1
                offset += 1
                scalars.append("\u{FFFD}")
            }
        }
    }

    static func utf16(_ bytes: [UInt8], littleEndian: Bool) throws(Failure) -> String {
        guard bytes.count.isMultiple(of: 2) else { throw .invalid(encoding: "UTF-16", offset: bytes.count - 1) }
        let units = stride(from: 0, to: bytes.count, by: 2).map { i in
            littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
        }
        var iterator = units.makeIterator()
        var decoder = UTF16()
        var scalars = String.UnicodeScalarView()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                scalars.append(s)
                offset += UTF16.width(s) * 2
            case .emptyInput: return String(scalars)
            case .error: throw .invalid(encoding: "UTF-16", offset: offset)
            }
        }
    }

    static func singleByte(_ bytes: [UInt8], high: [UInt16]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for b in bytes {
            scalars.append(Unicode.Scalar(b < 0x80 ? UInt16(b) : high[Int(b) - 0x80]) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    /// The encoding named by `<meta charset>` or `<meta http-equiv content="…; charset=…">` opening in the first
    /// 1024 bytes, and its label (the HTML standard's prescan, simplified: quoted or bare attribute values,
    /// comments skipped). A tag that opens before byte 1024 is read to its end; a label that names no encoding
    /// is passed over.
    static func metaCharset(_ bytes: [UInt8]) -> (WebEncoding, String)? {
        let head = Array(bytes.prefix(2048)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var i = 0
        while i + 5 < min(head.count, 1024) {
            if head[i..<i + 4].elementsEqual("<!--".utf8) {
                var j = i + 4
                while j + 2 < head.count && !head[j..<j + 3].elementsEqual("-->".utf8) { j += 1 }
                i = j + 3
                continue
            }
            guard head[i..<i + 5].elementsEqual("<meta".utf8) else {
                i += 1
                continue
            }
            var j = i + 5
            var attributes: [String: String] = [:]
            while j < head.count && head[j] != UInt8(ascii: ">") {
                while j < head.count && (isSpace(head[j]) || head[j] == UInt8(ascii: "/")) { j += 1 }
                var name: [UInt8] = []
                while j < head.count && !isSpace(head[j]) && head[j] != UInt8(ascii: "=")
                    && head[j] != UInt8(ascii: ">")
                {
                    name.append(head[j])
                    j += 1
                }
                var value: [UInt8] = []
                if j < head.count && head[j] == UInt8(ascii: "=") {
                    j += 1
                    if j < head.count && (head[j] == UInt8(ascii: "\"") || head[j] == UInt8(ascii: "'")) {
                        let quote = head[j]
                        j += 1
                        while j < head.count && head[j] != quote {
                            value.append(head[j])
                            j += 1
                        }
                        j += 1
                    } else {
                        while j < head.count && !isSpace(head[j]) && head[j] != UInt8(ascii: ">") {
                            value.append(head[j])
                            j += 1
                        }
                    }
                }
                if name.isEmpty && value.isEmpty { j += 1 }
                attributes[String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
            }
            if let charset = attributes["charset"], !charset.isEmpty, let encoding = WebEncoding(label: charset) {
                return (encoding, charset)
            }
            if attributes["http-equiv"] == "content-type", let content = attributes["content"],
                let range = content.firstRange(of: "charset=")
            {
                let label = String(
                    content[range.upperBound...].prefix { $0 != ";" && $0 != " " && $0 != "\"" && $0 != "'" })
                if let encoding = WebEncoding(label: label) { return (encoding, label) }
            }
            i = j
        }
        return nil
    }

    static let windows1256: [UInt16] = [
        0x20AC, 0x067E, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0679, 0x2039,
        0x0152, 0x0686, 0x0698, 0x0688, 0x06AF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x06A9, 0x2122, 0x0691, 0x203A, 0x0153, 0x200C, 0x200D, 0x06BA, 0x00A0, 0x060C, 0x00A2, 0x00A3,
        0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x06BE, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x061B, 0x00BB,
        0x00BC, 0x00BD, 0x00BE, 0x061F, 0x06C1, 0x0621, 0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0627,
        0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E, 0x062F, 0x0630, 0x0631, 0x0632, 0x0633,
        0x0634, 0x0635, 0x0636, 0x00D7, 0x0637, 0x0638, 0x0639, 0x063A, 0x0640, 0x0641, 0x0642, 0x0643,
        0x00E0, 0x0644, 0x00E2, 0x0645, 0x0646, 0x0647, 0x0648, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB,
        0x0649, 0x064A, 0x00EE, 0x00EF, 0x064B, 0x064C, 0x064D, 0x064E, 0x00F4, 0x064F, 0x0650, 0x00F7,
        0x0651, 0x00F9, 0x0652, 0x00FB, 0x00FC, 0x200E, 0x200F, 0x06D2,
    ]

    static let windows1252: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3,
        0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB,
        0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF, 0x00D0, 0x00D1, 0x00D2, 0x00D3,
        0x00D4, 0x00D5, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB,
        0x00EC, 0x00ED, 0x00EE, 0x00EF, 0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
    ]
}
