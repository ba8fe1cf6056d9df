import Foundation
import QariText

/// Collects the text of one block at a time and cuts it into passages by language and script.
struct PassageBuilder {
    let document: HTMLDocument
    private(set) var passages: [Passage] = []
    /// The block's text so far (whitespace collapsed).
    private var scalars: [Unicode.Scalar] = []
    /// For each scalar: its text node and UTF-16 offset there; node -1 is a collapsed space, node ≤ -2 is the
    /// `alt` of element -(node + 2).
    private var origins: [(node: Int32, utf16: Int32)] = []
    private var lang: String?
    private var pendingSpace = false
    /// Where the pending space was: a single space character of a text node is a real one, several collapse.
    private var spaceOrigin: (node: Int32, utf16: Int32)?
    private var paths: [Int: [Int]] = [:]

    init(document: HTMLDocument) { self.document = document }

    static func isCollapsible(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" || c == "\u{A0}" || c == "\u{202F}"
    }

    /// Whitespace collapsed and trimmed.
    static func collapse(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for c in text.unicodeScalars {
            if isCollapsible(c) {
                space = !out.isEmpty
                continue
            }
            if space { out.append(" ") }
            space = false
            out.append(c)
        }
        return String(out)
    }

    /// Whether the current block began where an inline element of another language cut the one before.
    private var startsAtCut = false

    mutating func append(textNode index: Int, lang: String) {
        if self.lang != lang {
            if hasWords {
                flush(cut: true)
                startsAtCut = true
            }
            self.lang = lang
        }
        var utf16 = 0
        let text = Array(document.nodes[index].text.unicodeScalars)
        let markup = Self.markupShownAsText(text)
        for (k, c) in text.enumerated() {
            defer { utf16 += c.utf16.count }
            if Self.isCollapsible(c) || markup.contains(k) {
                if !scalars.isEmpty {
                    spaceOrigin = pendingSpace || c != " " ? nil : (Int32(index), Int32(utf16))
                    pendingSpace = true
                }
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                let real = spaceOrigin.map { $0.node == Int32(index) && $0.utf16 == Int32(utf16) - 1 } ?? false
                origins.append(real ? spaceOrigin! : (-1, 0))
                pendingSpace = false
                spaceOrigin = nil
            }
            scalars.append(c)
            origins.append((Int32(index), Int32(utf16)))
        }
    }

    mutating func appendAlt(element: Int, text: String, lang: String) {
        self.lang = lang
        for c in Self.collapse(text).unicodeScalars {
            scalars.append(c)
            origins.append((Int32(-2 - element), 0))
        }
    }

    var hasWords: Bool { scalars.contains(where: Self.isWordScalar) }

    /// Tags a page wrote onto itself as visible text (`<script src="…">` shown by a broken template): said as one
    /// long word, never meant to be read. A `<` before a letter, `/` or `!`, up to the next `>` with no `<` between.
    static func markupShownAsText(_ text: [Unicode.Scalar]) -> IndexSet {
        var skip = IndexSet()
        var i = 0
        while i + 2 < text.count {
            guard text[i] == "<", text[i + 1].properties.isAlphabetic || text[i + 1] == "/" || text[i + 1] == "!",
                text[i + 1].isASCII
            else {
                i += 1
                continue
            }
            var j = i + 1
            while j < text.count, j - i < 2000, text[j] != ">", text[j] != "<" { j += 1 }
            guard j < text.count, text[j] == ">" else {
                i += 1
                continue
            }
            skip.insert(integersIn: i...j)
            i = j + 1
        }
        return skip
    }

    static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            return (0x30...0x39).contains(c.value) || (0x41...0x5A).contains(c.value) || (0x61...0x7A).contains(c.value)
        }
        if (0x0621...0x063A).contains(c.value) || (0x0641...0x064A).contains(c.value)
            || (0x2D30...0x2D6F).contains(c.value)
        {
            return true
        }
        return c.properties.isAlphabetic || c.properties.numericType != nil
    }

    /// Ends the current block (or, with `cut`, the part of it before a change of language): its passages are added.
    mutating func flush(cut: Bool = false) {
        let leadingCut = startsAtCut
        defer {
            scalars.removeAll(keepingCapacity: true)
            origins.removeAll(keepingCapacity: true)
            pendingSpace = false
            startsAtCut = false
        }
        guard hasWords, let lang else { return }
        let pieces = Self.scriptPieces(scalars, lang: lang)
        for (k, (range, pieceLang)) in pieces.enumerated() {
            var lo = range.lowerBound
            var hi = range.upperBound
            // Where a language change cuts a sentence, the brackets and commas around the cut belong to neither side.
            let trimLeading = k > 0 || leadingCut
            let trimTrailing = k < pieces.count - 1 || cut
            while lo < hi && (scalars[lo] == " " || trimLeading && Self.isPunctuation(scalars[lo])) { lo += 1 }
            while hi > lo && (scalars[hi - 1] == " " || trimTrailing && Self.isPunctuation(scalars[hi - 1])) { hi -= 1 }
            let piece = scalars[lo..<hi]
            guard piece.contains(where: Self.isWordScalar) else {
                continue
            }
            var utf8: [UInt8] = []
            utf8.reserveCapacity(piece.count * 2)
            for c in piece { UTF8.encode(c) { utf8.append($0) } }
            passages.append(
                Passage(lang: pieceLang, text: String(decoding: utf8, as: UTF8.self), locator: locators(lo..<hi)))
        }
    }

    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .otherSymbol:
            true
        default: false
        }
    }

    /// The block cut where the script says another language (the rule speech requests use too).
    static func scriptPieces(_ scalars: [Unicode.Scalar], lang: String) -> [(Range<Int>, String)] {
        LanguageRuns.split(scalars, lang: lang)
    }

    /// The text-node runs behind scalars `range`.
    mutating func locators(_ range: Range<Int>) -> [TextLocator] {
        var out: [TextLocator] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let origin = origins[i]
            if origin.node == -1 {
                i += 1
                continue
            }
            if origin.node <= -2 {
                let element = Int(-origin.node - 2)
                var j = i
                while j < range.upperBound && origins[j].node == origin.node { j += 1 }
                out.append(
                    TextLocator(
                        offset: i - range.lowerBound, length: j - i, path: path(element), node: nil, start: nil,
                        end: nil, attribute: "alt"))
                i = j
                continue
            }
            var j = i + 1
            var end = Int(origin.utf16) + scalars[i].utf16.count
            while j < range.upperBound && origins[j].node == origin.node && Int(origins[j].utf16) == end {
                end += scalars[j].utf16.count
                j += 1
            }
            let node = Int(origin.node)
            let parent = document.nodes[node].parent
            out.append(
                TextLocator(
                    offset: i - range.lowerBound, length: j - i, path: path(parent),
                    node: document.nodes[node].childIndex, start: Int(origin.utf16), end: end,
                    attribute: nil))
            i = j
        }
        return out
    }

    /// Element indices (`children[i]`) from `document.documentElement` down to `element`.
    mutating func path(_ element: Int) -> [Int] {
        if let cached = paths[element] { return cached }
        let nodes = document.nodes
        let parent = nodes[element].parent
        let result: [Int]
        if element == document.root || parent < 0 || nodes[parent].kind != .element {
            result = []
        } else {
            result = path(parent) + [nodes[element].elementIndex]
        }
        paths[element] = result
        return result
    }
}
