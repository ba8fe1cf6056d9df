import QariPage
import QariReading

/// A reading's passages as JSON, written directly: byte for byte what `JSONEncoder` writes with sorted keys and
/// unescaped slashes, several times faster (a long page's thousands of locators are most of a first answer's time).
enum PassagesJSON {
    /// The JSON array of `passages`.
    static func write(_ passages: [PlanPassage]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(passages.count * 256)
        out.append(UInt8(ascii: "["))
        for (i, p) in passages.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"index":"#.utf8)
            number(p.index, &out)
            out.append(contentsOf: #","lang":"#.utf8)
            string(p.lang, &out)
            out.append(contentsOf: #","locator":["#.utf8)
            for (j, l) in p.locator.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                locator(l, &out)
            }
            out.append(contentsOf: #"],"text":"#.utf8)
            string(p.text, &out)
            out.append(contentsOf: #","voice":"#.utf8)
            string(p.voice, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// A locator's members in sorted order; those it lacks are left out, as `JSONEncoder` leaves out nil.
    private static func locator(_ l: TextLocator, _ out: inout [UInt8]) {
        var first = true
        func key(_ name: String) {
            out.append(contentsOf: (first ? "{\"" : ",\"").utf8)
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "\":".utf8)
            first = false
        }
        if let attribute = l.attribute {
            key("attribute")
            string(attribute, &out)
        }
        if let end = l.end {
            key("end")
            number(end, &out)
        }
        key("length")
        number(l.length, &out)
        if let node = l.node {
            key("node")
            number(node, &out)
        }
        key("offset")
        number(l.offset, &out)
        key("path")
        out.append(UInt8(ascii: "["))
        for (k, step) in l.path.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            number(step, &out)
        }
        out.append(UInt8(ascii: "]"))
        if let start = l.start {
            key("start")
            number(start, &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func number(_ n: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: String(n).utf8)
    }

    /// A JSON string: quotes and backslashes escaped, control characters as `JSONEncoder` writes them.
    private static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
