/// A web address or an e-mail address in a text, cut into the parts a listener hears.
///
/// One parse serves the normaliser (what is said), the word ranges (one mark per spoken part) and the script runs,
/// so the three always agree on where an address is and what it is made of. What is not said has no part:
/// `https://`, `www.`, a port, a query, a fragment, a page's extension (`.php`, `.html`).
public struct Address: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case web, email }

    /// What is said after a part, before the next one.
    public enum Joiner: Sendable, Equatable {
        /// Nothing: the last part.
        case end
        /// A word space: two words of one path segment (`les-guichets`), two digit groups.
        case space
        /// `.` in a host or an e-mail's user name: "point", "نقطة".
        case dot
        /// `-` in a host or a user name: "tiret", "شرطة".
        case dash
        /// `_` in a user name: "tiret bas".
        case underscore
        /// `@`: "arobase", "آت".
        case at
        /// `/` between path segments: a pause, never "slash".
        case segment
    }

    /// A spoken part: letters (a word) or a group of digits, its code points in the text, and what follows it.
    public struct Part: Sendable, Equatable {
        public var range: Range<Int>
        public var digits: Bool
        public var joiner: Joiner
        /// A file's extension that is read (`.pdf`): its letters are spelled.
        public var spelled = false
    }

    public var kind: Kind
    /// The code points the address covers (trailing punctuation left out).
    public var range: Range<Int>
    public var parts: [Part]
    /// How many of `parts` make the host (for "lien vers …"); all of them for an e-mail.
    public var hostParts: Int

    /// Top-level domains a bare host (`idarati.ma`, no `www.` nor scheme) must end with to be taken as an address.
    static let bareDomains: Set<String> = ["ma", "com", "org", "net", "gov", "fr", "info", "edu", "int", "eu", "io"]
    /// Extensions of pages, never said: the address names the page without them.
    static let pageExtensions: Set<String> = [
        "php", "html", "htm", "aspx", "asp", "jsp", "shtml", "xhtml", "cfm", "do", "action",
    ]
    /// Extensions of files a listener may want to know (a form in PDF): spelled.
    static let spelledExtensions: Set<String> = [
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "jpg", "jpeg", "png", "gif", "zip", "rar",
        "txt", "csv", "xml", "mp3", "mp4",
    ]
    /// Punctuation that ends a sentence after an address, not the address.
    static let trailing: Set<Unicode.Scalar> = [".", ",", ";", ":", "!", "?", ")", "»", "\"", "'", "’", "،", "؛", "؟"]

    /// The address starting at `k` in `c`, if one does (an address ends at a space, at most 512 code points on).
    public static func parse(_ c: [Unicode.Scalar], at k: Int) -> Address? {
        guard k < c.count, c[k].isASCII, c[k].properties.isAlphabetic || ("0"..."9").contains(c[k]) else {
            return nil
        }
        var end = k
        while end < c.count, end - k < 512, !c[end].properties.isWhitespace { end += 1 }
        while end > k, trailing.contains(c[end - 1]) { end -= 1 }
        guard end - k >= 4, c[k..<end].contains(where: { $0 == "." || $0 == "@" }) else { return nil }
        let lower = String(String.UnicodeScalarView(c[k..<end])).lowercased()
        var body = k
        var web = false
        for scheme in ["https://", "http://"] where lower.hasPrefix(scheme) {
            body += scheme.count
            web = true
        }
        if lower.dropFirst(body - k).hasPrefix("www.") {
            body += 4
            web = true
        }
        if !web, let at = c[k..<end].firstIndex(of: "@") {
            return email(c, k, at, end)
        }
        return webAddress(c, start: k, host: body, end: end, sure: web)
    }

    /// Whether all of `text` (spaces and closing punctuation aside) is one web address.
    public static func isWholeWebAddress(_ text: String) -> Bool {
        let c = Array(text.unicodeScalars)
        var k = 0
        while k < c.count, c[k].properties.isWhitespace || c[k] == "(" || c[k] == "«" || c[k] == "<" { k += 1 }
        guard let a = parse(c, at: k), a.kind == .web else { return false }
        return c[a.range.upperBound...].allSatisfy { $0.properties.isWhitespace || trailing.contains($0) || $0 == ">" }
    }

    static func isWordChar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s))
    }

    /// Where a lexicon's phonemes (`[[wa'tika]]`, put in place of a word before the normaliser runs) that start at
    /// `i` end: such a span is one word of the address.
    static func phonemesEnd(_ c: [Unicode.Scalar], _ i: Int, _ upper: Int) -> Int? {
        guard i + 1 < upper, c[i] == "[", c[i + 1] == "[" else { return nil }
        var j = i + 2
        while j + 1 < upper, !(c[j] == "]" && c[j + 1] == "]") { j += 1 }
        return j + 1 < upper ? j + 2 : nil
    }

    /// The end of the run of letters, digits and lexicon phonemes from `i`.
    static func wordEnd(_ c: [Unicode.Scalar], _ i: Int, _ upper: Int) -> Int {
        var j = i
        while j < upper {
            if isWordChar(c[j]) {
                j += 1
            } else if let e = phonemesEnd(c, j, upper) {
                j = e
            } else {
                break
            }
        }
        return j
    }

    /// Whether `c[range]` is made only of word runs and the characters `allowed`.
    static func only(_ c: [Unicode.Scalar], _ range: Range<Int>, _ allowed: String) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            let e = wordEnd(c, i, range.upperBound)
            if e > i {
                i = e
            } else if allowed.unicodeScalars.contains(c[i]) {
                i += 1
            } else {
                return false
            }
        }
        return true
    }

    /// Letters and digit runs of `c[range]` as parts, digits in the groups people say; all joined by spaces.
    static func words(_ c: [Unicode.Scalar], _ range: Range<Int>) -> [Part] {
        var parts: [Part] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if let e = phonemesEnd(c, i, range.upperBound) {
                parts.append(Part(range: i..<e, digits: false, joiner: .space))
                i = e
                continue
            }
            guard isWordChar(c[i]) || !c[i].isASCII && c[i].properties.isAlphabetic else {
                i += 1
                continue
            }
            let digit = ("0"..."9").contains(c[i])
            var j = i
            while j < range.upperBound, digit ? ("0"..."9").contains(c[j]) : (c[j].properties.isAlphabetic) { j += 1 }
            if digit {
                let year = j - i == 4 && (c[i] == "1" && c[i + 1] == "9" || c[i] == "2" && c[i + 1] == "0")
                for g in digitGroups(j - i, yearLike: year) {
                    parts.append(Part(range: (i + g.lowerBound)..<(i + g.upperBound), digits: true, joiner: .space))
                }
            } else {
                parts.append(Part(range: i..<j, digits: false, joiner: .space))
            }
            i = j
        }
        return parts
    }

    /// How people say a run of `count` digits in a code: up to three at once, a year (4 digits) at once, longer
    /// runs in pairs (the first of three when the count is odd) — `14848382` is 14 84 83 82.
    public static func digitGroups(_ count: Int, yearLike: Bool = false) -> [Range<Int>] {
        if count <= 3 || (count == 4 && yearLike) { return [0..<count] }
        var groups: [Range<Int>] = []
        var i = count % 2 == 1 ? 3 : 2
        groups.append(0..<i)
        while i < count {
            groups.append(i..<i + 2)
            i += 2
        }
        return groups
    }

    static func email(_ c: [Unicode.Scalar], _ k: Int, _ at: Int, _ end: Int) -> Address? {
        let domain = c[(at + 1)..<end]
        guard at > k, only(c, k..<at, "._-+"), domain.contains("."), only(c, (at + 1)..<end, ".-"),
            let last = domain.last, isWordChar(last) || last == "]", let first = domain.first,
            isWordChar(first) || first == "["
        else { return nil }
        var parts = joined(c, k..<at)
        guard !parts.isEmpty else { return nil }
        parts[parts.count - 1].joiner = .at
        parts += joined(c, (at + 1)..<end)
        parts[parts.count - 1].joiner = .end
        return Address(kind: .email, range: k..<end, parts: parts, hostParts: parts.count)
    }

    /// The parts of a host or a user name: `.`, `-`, `_` said between them.
    static func joined(_ c: [Unicode.Scalar], _ range: Range<Int>) -> [Part] {
        var parts: [Part] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let j = wordEnd(c, i, range.upperBound)
            if j > i { parts += words(c, i..<j) }
            if j < range.upperBound, !parts.isEmpty {
                switch c[j] {
                case ".": parts[parts.count - 1].joiner = .dot
                case "-": parts[parts.count - 1].joiner = .dash
                case "_": parts[parts.count - 1].joiner = .underscore
                default: break
                }
            }
            i = j + 1
        }
        return parts
    }

    static func webAddress(_ c: [Unicode.Scalar], start k: Int, host: Int, end: Int, sure: Bool) -> Address? {
        var hostEnd = host
        while hostEnd < end {
            let e = wordEnd(c, hostEnd, end)
            if e > hostEnd {
                hostEnd = e
            } else if c[hostEnd] == "." || c[hostEnd] == "-" {
                hostEnd += 1
            } else {
                break
            }
        }
        let labels = String(String.UnicodeScalarView(c[host..<hostEnd])).lowercased().split(
            separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last,
            tld.allSatisfy(\.isLetter), hostEnd == end || "/?#:".unicodeScalars.contains(c[hostEnd])
        else { return nil }
        // Without a scheme or `www.`, only a known domain and a name of two letters or more (`idarati.ma`).
        if !sure, !bareDomains.contains(String(tld)) || labels[labels.count - 2].count < 2 { return nil }
        var parts = joined(c, host..<hostEnd)
        guard !parts.isEmpty else { return nil }
        let hostParts = parts.count
        // The path, to a query or a fragment: segments, each said as its words.
        var i = hostEnd
        if i < end, c[i] == ":" {
            while i < end, c[i] != "/" { i += 1 }
        }
        var pathEnd = i
        while pathEnd < end, c[pathEnd] != "?", c[pathEnd] != "#" { pathEnd += 1 }
        while i < pathEnd {
            i += 1
            var j = i
            while j < pathEnd, c[j] != "/" { j += 1 }
            var segmentEnd = j
            var ext: Range<Int>?
            if j == pathEnd, let dot = c[i..<j].lastIndex(of: ".") {
                let name = String(String.UnicodeScalarView(c[(dot + 1)..<j])).lowercased()
                if pageExtensions.contains(name) {
                    segmentEnd = dot
                } else if spelledExtensions.contains(name) {
                    segmentEnd = dot
                    ext = (dot + 1)..<j
                }
            }
            let segment = words(c, i..<segmentEnd)
            if !segment.isEmpty {
                parts[parts.count - 1].joiner = .segment
                parts += segment
            }
            if let ext {
                parts[parts.count - 1].joiner = .dot
                parts.append(Part(range: ext, digits: false, joiner: .end, spelled: true))
            }
            i = j
        }
        parts[parts.count - 1].joiner = .end
        return Address(kind: .web, range: k..<end, parts: parts, hostParts: hostParts)
    }
}
