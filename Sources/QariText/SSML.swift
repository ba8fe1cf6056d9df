/// Malformed or unsupported SSML, with the place it was found.
public struct SSMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line and column (in characters) of the problem.
    public var line: Int
    public var column: Int
    public var message: String

    package init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// An SSML document checked against the subset eSpeak NG supports, before any of it reaches eSpeak.
///
/// Qari speaks each `<voice xml:lang>` run with its own voice (eSpeak's SSML voice selection picks MBROLA voices
/// that are not installed), so the document is cut into segments of one language each.
public struct SSMLDocument: Sendable {
    /// A node of the document, with its code-point range in the source.
    public indirect enum Node: Sendable, Equatable {
        case text(Range<Int>)
        case element(
            name: String, attributes: [String: String], range: Range<Int>, children: [Node], closing: Range<Int>?)
    }

    /// The source, as code points.
    public let source: [Unicode.Scalar]
    /// The children of `<speak>`.
    public let root: Node

    /// Elements and the attributes each accepts.
    static let allowed: [String: Set<String>] = [
        "speak": ["version", "xmlns", "xml:lang", "xmlns:xsi", "xsi:schemalocation"],
        "voice": ["xml:lang", "name", "gender", "age", "variant"],
        "prosody": ["rate", "pitch", "volume", "range"],
        "say-as": ["interpret-as", "format", "detail"],
        "break": ["time", "strength"],
        "mark": ["name"],
        "s": ["xml:lang"], "p": ["xml:lang"],
        "sub": ["alias"],
        "emphasis": ["level"],
    ]
    static let required: [String: String] = ["mark": "name", "sub": "alias"]
    static let empty: Set<String> = ["break", "mark"]

    /// Parses and validates `text`.
    public init(_ text: String) throws(SSMLError) {
        var parser = SSMLParser(source: Array(text.unicodeScalars))
        root = try parser.document()
        source = parser.s
    }

    /// A run of the document in one language.
    public struct Segment: Sendable {
        /// The language tag of the run (from the nearest `xml:lang`), nil for the request's voice.
        public var language: String?
        /// What eSpeak reads: `<speak>` and the run's markup, its text rewritten by `rewrite`.
        public var spoken: SpokenText
        /// The words of the run's text, as code-point ranges of the source.
        public var words: [Range<Int>]
    }

    /// The document cut into runs of one language; `rewrite` prepares each text node (numbers, vowels) for its
    /// language.
    public func segments(
        rewrite: (_ text: String, _ language: String?) async -> SpokenText
    ) async -> [Segment] {
        var runs: [(String?, [(Node, Int)])] = []  // language, nodes at depth
        func collect(_ node: Node, language: String?, depth: Int) {
            if case .element(let name, let attributes, _, let children, _) = node, name == "voice" || name == "speak" {
                let lang = attributes["xml:lang"] ?? language
                for child in children { collect(child, language: lang, depth: depth) }
                return
            }
            if let last = runs.last, last.0 == language {
                runs[runs.count - 1].1.append((node, depth))
            } else {
                runs.append((language, [(node, depth)]))
            }
        }
        collect(root, language: nil, depth: 0)
        var segments: [Segment] = []
        let full = String(String.UnicodeScalarView(source))
        for (language, nodes) in runs {
            var spoken = SpokenText(original: full)
            var words: [Range<Int>] = []
            let start = nodes.first.map { Self.range(of: $0.0).lowerBound } ?? 0
            spoken.replace(start..<start, with: "<speak>")
            for (node, _) in nodes {
                await emit(node, language: language, into: &spoken, words: &words, rewrite: rewrite)
            }
            let end = nodes.last.map { Self.range(of: $0.0).upperBound } ?? 0
            spoken.replace(end..<end, with: "</speak>")
            if !words.isEmpty || nodes.contains(where: { if case .element = $0.0 { true } else { false } }) {
                segments.append(Segment(language: language, spoken: spoken, words: words))
            }
        }
        return segments
    }

    static func range(of node: Node) -> Range<Int> {
        switch node {
        case .text(let r): r
        case .element(_, _, let r, _, let closing): r.lowerBound..<(closing?.upperBound ?? r.upperBound)
        }
    }

    private func emit(
        _ node: Node, language: String?, into spoken: inout SpokenText, words: inout [Range<Int>],
        rewrite: (String, String?) async -> SpokenText
    ) async {
        switch node {
        case .text(let r):
            // Entities decoded, the text rewritten, then escaped again for eSpeak's parser.
            var decoded = SpokenText(original: String(String.UnicodeScalarView(source[r])))
            var i = 0
            let raw = decoded.original
            while i < raw.count {
                if raw[i] == "&", let (end, value) = SSMLParser.entity(in: raw, at: i) {
                    decoded.replace(i..<end, with: value)
                    i = end
                } else {
                    decoded.copy(i..<i + 1)
                    i += 1
                }
            }
            var text = decoded.then(await rewrite(decoded.spokenString, language))
            var escaped = SpokenText(original: text.spokenString)
            for (k, c) in escaped.original.enumerated() {
                switch c {
                case "&": escaped.replace(k..<k + 1, with: "&amp;")
                case "<": escaped.replace(k..<k + 1, with: "&lt;")
                case ">": escaped.replace(k..<k + 1, with: "&gt;")
                default: escaped.copy(k..<k + 1)
                }
            }
            text = text.then(escaped)
            spoken.append(text, at: r.lowerBound)
            // Words of the decoded text ("R &amp; D" has two), placed on the source.
            words += WordRanges.of(decoded.spoken).map { w in
                let raw = decoded.originalRange(spokenStart: w.lowerBound, length: w.count)
                return (raw.lowerBound + r.lowerBound)..<(raw.upperBound + r.lowerBound)
            }
        case .element(let name, _, let open, let children, let closing):
            if name == "voice" || name == "speak" {
                for child in children {
                    await emit(child, language: language, into: &spoken, words: &words, rewrite: rewrite)
                }
                return
            }
            spoken.copy(open)
            if name == "sub" {
                // eSpeak speaks the alias: the element's own text is left out.
                if let closing { spoken.copy(closing) }
                return
            }
            for child in children {
                await emit(child, language: language, into: &spoken, words: &words, rewrite: rewrite)
            }
            if let closing { spoken.copy(closing) }
        }
    }
}

/// A small XML parser for the SSML subset: elements, attributes, text, entities, comments, an XML declaration.
struct SSMLParser {
    let s: [Unicode.Scalar]
    var i = 0
    /// Elements open around the one being read.
    var depth = 0
    /// Deeper nesting is refused: no speech needs it, and each level costs stack (a fuzzer found 700 levels of
    /// `<s>` overflowing it).
    static let maxDepth = 64

    init(source: [Unicode.Scalar]) { s = source }

    func error(_ message: String, at k: Int? = nil) -> SSMLError {
        let k = min(k ?? i, s.count)
        var line = 1
        var column = 1
        for c in s[0..<k] {
            if c == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SSMLError(line: line, column: column, message: message)
    }

    mutating func document() throws(SSMLError) -> SSMLDocument.Node {
        skipMisc()
        guard i < s.count, s[i] == "<" else { throw error("the document must start with <speak>") }
        let root = try element()
        guard case .element(let name, _, _, _, _) = root, name == "speak" else {
            throw error("the root element must be <speak>", at: 0)
        }
        skipMisc()
        guard i == s.count else { throw error("content after </speak>") }
        return root
    }

    mutating func skipMisc() {
        while true {
            while i < s.count && s[i].properties.isWhitespace { i += 1 }
            if starts("<?") {
                while i < s.count && !starts("?>") { i += 1 }
                i = min(i + 2, s.count)
            } else if starts("<!--") {
                while i < s.count && !starts("-->") { i += 1 }
                i = min(i + 3, s.count)
            } else {
                return
            }
        }
    }

    func starts(_ p: String) -> Bool {
        var k = i
        for c in p.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == ":" || c == "."
    }

    mutating func name() throws(SSMLError) -> String {
        let start = i
        while i < s.count && Self.isNameChar(s[i]) { i += 1 }
        guard i > start else { throw error("a name was expected") }
        return String(String.UnicodeScalarView(s[start..<i]))
    }

    mutating func element() throws(SSMLError) -> SSMLDocument.Node {
        let start = i
        guard depth < Self.maxDepth else {
            throw error("elements are nested more than \(Self.maxDepth) deep", at: start)
        }
        depth += 1
        defer { depth -= 1 }
        i += 1  // <
        let tag = try name()
        guard let allowedAttributes = SSMLDocument.allowed[tag] else {
            throw error(
                "<\(tag)> is not supported; use speak, voice, prosody, say-as, break, mark, s, p, sub", at: start)
        }
        var attributes: [String: String] = [:]
        while true {
            while i < s.count && s[i].properties.isWhitespace { i += 1 }
            guard i < s.count else { throw error("<\(tag)> is not closed", at: start) }
            if s[i] == ">" || starts("/>") { break }
            let attrStart = i
            let attr = try name()
            while i < s.count && s[i].properties.isWhitespace { i += 1 }
            guard i < s.count, s[i] == "=" else { throw error("attribute \(attr) needs a value", at: attrStart) }
            i += 1
            while i < s.count && s[i].properties.isWhitespace { i += 1 }
            guard i < s.count, s[i] == "\"" || s[i] == "'" else {
                throw error("attribute \(attr): a quoted value was expected")
            }
            let quote = s[i]
            i += 1
            var value = ""
            while i < s.count && s[i] != quote {
                if s[i] == "<" { throw error("\"<\" inside the value of \(attr)") }
                if s[i] == "&", let (end, v) = Self.entity(in: s, at: i) {
                    value += v
                    i = end
                } else {
                    value.unicodeScalars.append(s[i])
                    i += 1
                }
            }
            guard i < s.count else { throw error("the value of \(attr) is not closed", at: attrStart) }
            i += 1
            guard allowedAttributes.contains(attr.lowercased()) else {
                throw error("<\(tag)> has no attribute \(attr)", at: attrStart)
            }
            guard attributes[attr] == nil else { throw error("attribute \(attr) appears twice", at: attrStart) }
            attributes[attr] = value
        }
        if let needed = SSMLDocument.required[tag], attributes[needed] == nil {
            throw error("<\(tag)> needs a \(needed) attribute", at: start)
        }
        if starts("/>") {
            i += 2
            return .element(name: tag, attributes: attributes, range: start..<i, children: [], closing: nil)
        }
        i += 1  // >
        let open = start..<i
        var children: [SSMLDocument.Node] = []
        while true {
            guard i < s.count else { throw error("<\(tag)> is never closed", at: start) }
            if starts("</") {
                let closeStart = i
                i += 2
                let closing = try name()
                while i < s.count && s[i].properties.isWhitespace { i += 1 }
                guard i < s.count, s[i] == ">" else { throw error("</\(closing) is not closed", at: closeStart) }
                i += 1
                guard closing == tag else {
                    throw error("</\(closing)> closes <\(tag)>", at: closeStart)
                }
                if SSMLDocument.empty.contains(tag), !children.isEmpty {
                    throw error("<\(tag)> must be empty", at: start)
                }
                return .element(
                    name: tag, attributes: attributes, range: open, children: children, closing: closeStart..<i)
            }
            if starts("<!--") {
                let commentStart = i
                while i < s.count && !starts("-->") { i += 1 }
                guard i < s.count else { throw error("the comment is never closed", at: commentStart) }
                i += 3
                continue
            }
            if s[i] == "<" {
                children.append(try element())
                continue
            }
            let textStart = i
            while i < s.count && s[i] != "<" {
                if s[i] == "&" {
                    guard let (end, _) = Self.entity(in: s, at: i) else {
                        throw error("\"&\" must start an entity such as &amp;")
                    }
                    i = end
                } else {
                    i += 1
                }
            }
            children.append(.text(textStart..<i))
        }
    }

    /// The entity at `k` (`&amp;`, `&#1575;`, `&#x627;`): where it ends and what it stands for.
    static func entity(in s: [Unicode.Scalar], at k: Int) -> (Int, String)? {
        var j = k + 1
        while j < s.count && j - k < 12 && s[j] != ";" { j += 1 }
        guard j < s.count, s[j] == ";" else { return nil }
        let body = String(String.UnicodeScalarView(s[(k + 1)..<j]))
        let value: String?
        switch body {
        case "amp": value = "&"
        case "lt": value = "<"
        case "gt": value = ">"
        case "quot": value = "\""
        case "apos": value = "'"
        default:
            if body.hasPrefix("#x") || body.hasPrefix("#X"), let v = UInt32(body.dropFirst(2), radix: 16) {
                value = Unicode.Scalar(v).map { String($0) }
            } else if body.hasPrefix("#"), let v = UInt32(body.dropFirst()) {
                value = Unicode.Scalar(v).map { String($0) }
            } else {
                value = nil
            }
        }
        return value.map { (j + 1, $0) }
    }
}
