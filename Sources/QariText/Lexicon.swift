import Foundation
import Synchronization

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A pronunciation lexicon (W3C PLS 1.0): how a linguist wants words said, edited without rebuilding Qari.
///
/// Each lexeme gives graphemes and either an `alias` (other words to read) or a `phoneme` in IPA (`alphabet="ipa"`)
/// or in eSpeak's own mnemonics (`alphabet="x-espeak"`). IPA is turned into eSpeak's phonemes when the file is
/// read, so an unknown symbol is reported with its line instead of being mispronounced.
public struct Lexicon: Sendable, Equatable {
    /// One lexeme: the written forms and what to say for them.
    public struct Entry: Sendable, Equatable {
        public var graphemes: [String]
        /// Words to read instead (nil for a phoneme entry).
        public var alias: String?
        /// eSpeak phoneme mnemonics (nil for an alias entry).
        public var phonemes: String?
        /// The line of the lexeme in its file.
        public var line: Int
    }

    /// The primary language tag the lexicon is for (`fr`, `ar`, `zgh`…).
    public var language: String
    public var entries: [Entry]
    /// Where it was read from.
    public var path: String

    /// Reads a PLS document; throws the first problem with its line and column.
    public init(contentsOf path: String) throws(LexiconError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LexiconError(path: path, line: 0, column: 0, message: "cannot be read")
        }
        try self.init(data: data, path: path)
    }

    /// Reads a PLS document from `data` (`path` names it in errors).
    public init(data: Data, path: String) throws(LexiconError) {
        let reader = PLSReader(path: path)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        parser.shouldProcessNamespaces = true
        let ok = parser.parse()
        if let problem = reader.problem { throw problem }
        guard ok else {
            let message = parser.parserError.map { Self.describe($0) } ?? "is not well-formed XML"
            throw LexiconError(path: path, line: parser.lineNumber, column: parser.columnNumber, message: message)
        }
        guard let language = reader.language else {
            throw LexiconError(path: path, line: 1, column: 1, message: "the <lexicon> element is missing")
        }
        self.language = language
        self.entries = reader.entries
        self.path = path
    }

    static func describe(_ error: any Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.isEmpty ? "is not well-formed XML" : "is not well-formed XML (\(text))"
    }
}

/// A problem in a lexicon file, where it is.
public struct LexiconError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    /// `file:line:column: message`, or `file: message` for what is not at a place in it (an unreadable file).
    public var description: String { line > 0 ? "\(path):\(line):\(column): \(message)" : "\(path): \(message)" }
}

/// The lexicons in use: applied to text before normalisation and vowel restoration.
public struct LexiconSet: Sendable, Equatable {
    public let lexicons: [Lexicon]
    /// Per language, the graphemes by their first code point, longest first: built once, used for every text.
    private let tables: [String: [Unicode.Scalar: [(graphemes: [Unicode.Scalar], spoken: String)]]]

    public init(_ lexicons: [Lexicon] = []) {
        self.lexicons = lexicons
        var tables: [String: [Unicode.Scalar: [(graphemes: [Unicode.Scalar], spoken: String)]]] = [:]
        for lexicon in lexicons {
            for entry in lexicon.entries {
                let spoken = entry.phonemes.map { "[[\($0)]]" } ?? entry.alias ?? ""
                for g in entry.graphemes {
                    let scalars = Array(g.unicodeScalars)
                    guard let first = scalars.first else { continue }
                    tables[lexicon.language, default: [:]][first, default: []].append((scalars, spoken))
                }
            }
        }
        for (language, table) in tables {
            for key in table.keys { tables[language]![key]!.sort { $0.graphemes.count > $1.graphemes.count } }
        }
        self.tables = tables
    }

    public static func == (a: LexiconSet, b: LexiconSet) -> Bool { a.lexicons == b.lexicons }

    /// Reads every file; the first problem is thrown (nothing is half-loaded).
    public init(paths: [String]) throws(LexiconError) {
        var lexicons: [Lexicon] = []
        for path in paths { lexicons.append(try Lexicon(contentsOf: path)) }
        self.init(lexicons)
    }

    /// The files a `--lexicon` list names: the shipped ones under `homes` when it is empty, none for `none`.
    public static func paths(named files: [String], homes: [String]) -> [String] {
        if files.isEmpty { return shippedPaths(homes: homes) }
        return files.filter { $0 != "none" }
    }

    /// The lexicons shipped with Qari (`lexicons/*.pls`) in the first of `homes` that has them.
    public static func shippedPaths(homes: [String]) -> [String] {
        for root in homes {
            let folder = root + "/lexicons"
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            let files = names.filter { $0.hasSuffix(".pls") }.sorted().map { folder + "/" + $0 }
            if !files.isEmpty { return files }
        }
        return []
    }

    /// Names what the lexicons say, for content addresses: a change of any entry gives another fingerprint.
    public var fingerprint: String {
        guard !lexicons.isEmpty else { return "none" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) {
            for b in s.utf8 {
                hash ^= UInt64(b)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        for lexicon in lexicons {
            mix(lexicon.language)
            for e in lexicon.entries {
                e.graphemes.forEach(mix)
                mix(e.alias ?? "")
                mix(e.phonemes ?? "")
            }
        }
        return String(hash, radix: 16)
    }

    /// `text` with the entries for `language` applied: an alias replaces the words, a phoneme entry becomes eSpeak
    /// phoneme input (`[[…]]`); traced back to `text`. Longer graphemes win; only whole words match.
    public func apply(_ text: String, language: String) -> SpokenText {
        var result = SpokenText(original: text)
        guard let table = tables[Languages.primary(language)] else {
            result.copy(0..<result.original.count)
            return result
        }
        let c = result.original
        func isWordChar(_ k: Int) -> Bool {
            k >= 0 && k < c.count && (c[k].properties.isAlphabetic || c[k].properties.numericType != nil)
        }
        var i = 0
        while i < c.count {
            if !isWordChar(i - 1), let candidates = table[c[i]],
                let (g, spoken) = candidates.first(where: { g, _ in
                    i + g.count <= c.count && Array(c[i..<i + g.count]) == g && !isWordChar(i + g.count)
                })
            {
                result.replace(i..<i + g.count, with: spoken)
                i += g.count
            } else {
                result.copy(i..<i + 1)
                i += 1
            }
        }
        return result
    }
}

/// The lexicons a speaker uses now; a daemon replaces them on SIGHUP.
public final class LexiconStore: Sendable {
    private let state: Mutex<LexiconSet>

    public init(_ set: LexiconSet = LexiconSet()) { state = Mutex(set) }

    public var current: LexiconSet { state.withLock { $0 } }

    /// Replaces the lexicons (after they were all read without error).
    public func replace(with set: LexiconSet) { state.withLock { $0 = set } }
}

/// Reads a PLS document with Foundation's XML parser, checking it as it goes.
private final class PLSReader: NSObject, XMLParserDelegate {
    static let namespace = "http://www.w3.org/2005/01/pronunciation-lexicon"
    let path: String
    var language: String?
    var alphabet = "ipa"
    var entries: [Lexicon.Entry] = []
    var problem: LexiconError?
    // The lexeme being read.
    var graphemes: [String] = []
    var alias: String?
    var phonemes: String?
    var phonemeAlphabet: String?
    var lexemeLine = 0
    var text = ""
    var stack: [String] = []
    var elementLine = 0
    var elementColumn = 0

    /// The alphabets met so far, each built once (a lexicon has many phonemes in one alphabet).
    var tables: [String: PhonemeAlphabet] = [:]

    init(path: String) { self.path = path }

    func alphabetTable(_ name: String) -> PhonemeAlphabet? {
        if let known = tables[name] { return known }
        let table = PhonemeAlphabet(name: name, language: language ?? "")
        tables[name] = table
        return table
    }

    func fail(_ parser: XMLParser, _ message: String, line: Int? = nil, column: Int? = nil) {
        guard problem == nil else { return }
        problem = LexiconError(
            path: path, line: line ?? parser.lineNumber, column: column ?? parser.columnNumber, message: message)
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let parent = stack.last
        stack.append(name)
        text = ""
        elementLine = parser.lineNumber
        elementColumn = parser.columnNumber
        switch (parent, name) {
        case (nil, "lexicon"):
            guard namespaceURI == Self.namespace else {
                return fail(parser, "<lexicon> must be in the PLS namespace \(Self.namespace)")
            }
            guard attributes["version"] == "1.0" else { return fail(parser, "<lexicon> needs version=\"1.0\"") }
            guard let lang = attributes["xml:lang"] ?? attributes["lang"], !lang.isEmpty else {
                return fail(parser, "<lexicon> needs an xml:lang attribute")
            }
            language = Languages.primary(lang)
            alphabet = attributes["alphabet"] ?? "ipa"
            guard PhonemeAlphabet(name: alphabet, language: language!) != nil else {
                return fail(parser, "unknown alphabet \"\(alphabet)\" for \(language!) (ipa or x-espeak)")
            }
        case (nil, _):
            fail(parser, "the root element must be <lexicon>, not <\(name)>")
        case ("lexicon", "lexeme"):
            graphemes = []
            alias = nil
            phonemes = nil
            lexemeLine = parser.lineNumber
        case ("lexicon", "meta"), ("lexicon", "metadata"):
            break
        case ("lexeme", "grapheme"), ("lexeme", "alias"), ("lexeme", "example"):
            break
        case ("lexeme", "phoneme"):
            phonemeAlphabet = attributes["alphabet"]
        default:
            if !stack.contains("metadata") {
                fail(parser, "<\(name)> is not allowed inside <\(parent!)>")
            }
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        defer {
            stack.removeLast()
            text = ""
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "grapheme" where stack.count == 3:
            guard !value.isEmpty else { return fail(parser, "an empty <grapheme>", line: elementLine) }
            graphemes.append(value)
        case "alias" where stack.count == 3:
            guard alias == nil && phonemes == nil else { return }  // PLS: the first pronunciation is used
            alias = value
        case "phoneme" where stack.count == 3:
            guard alias == nil && phonemes == nil else { return }
            let name = phonemeAlphabet ?? alphabet
            guard let table = alphabetTable(name) else {
                return fail(parser, "unknown alphabet \"\(name)\"", line: elementLine, column: elementColumn)
            }
            switch table.espeak(value) {
            case .success(let mnemonics): phonemes = mnemonics
            case .failure(let unknown):
                fail(
                    parser, "unknown \(name) phoneme \"\(unknown.symbol)\" in \"\(value)\"", line: elementLine,
                    column: elementColumn)
            }
        case "lexeme" where stack.count == 2:
            guard !graphemes.isEmpty else { return fail(parser, "a <lexeme> without <grapheme>", line: lexemeLine) }
            guard alias != nil || phonemes != nil else {
                return fail(parser, "a <lexeme> without <phoneme> or <alias>", line: lexemeLine)
            }
            entries.append(Lexicon.Entry(graphemes: graphemes, alias: alias, phonemes: phonemes, line: lexemeLine))
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        fail(parser, Lexicon.describe(parseError))
    }
}

/// Turns a lexicon's phonemes into eSpeak's, for one language.
struct PhonemeAlphabet {
    struct Unknown: Error {
        var symbol: String
    }

    /// Symbols in the alphabet → eSpeak mnemonics; longest first when reading.
    let symbols: [(String, String)]
    /// Whether a length mark doubles the phoneme before it (Amazigh geminates, as the front end writes them).
    let lengthDoubles: Bool

    init?(name: String, language: String) {
        let inventory: [(String, String)]
        lengthDoubles = AmazighVariety(rawValue: language) != nil
        switch language {
        case "fr": inventory = Self.french
        case "ar": inventory = Self.arabic
        default:
            guard AmazighVariety(rawValue: language) != nil else { return nil }
            inventory = Self.amazigh
        }
        switch name.lowercased() {
        case "ipa": symbols = (inventory + Self.prosody).sorted { $0.0.count > $1.0.count }
        case "x-espeak", "espeak", "x-sampa-espeak":
            // Not the empty mnemonic (IPA's syllable mark becomes nothing): as a symbol it would match anywhere.
            let own = Set(inventory.map(\.1) + Self.prosody.map(\.1)).subtracting([""])
            symbols = own.map { ($0, $0) }.sorted { $0.0.count > $1.0.count }
        default: return nil
        }
    }

    /// The phonemes in eSpeak mnemonics, or the first symbol the alphabet does not know.
    func espeak(_ written: String) -> Result<String, Unknown> {
        var rest = Substring(written.precomposedStringWithCanonicalMapping)
        var out = ""
        var last = ""
        while let first = rest.first {
            if first.isWhitespace {
                out += " "
                rest = rest.dropFirst()
                continue
            }
            guard let (symbol, mnemonic) = symbols.first(where: { !$0.0.isEmpty && rest.hasPrefix($0.0) }) else {
                return .failure(Unknown(symbol: String(first)))
            }
            out += lengthDoubles && mnemonic == ":" ? last : mnemonic
            if mnemonic != ":" { last = mnemonic }
            rest = rest.dropFirst(symbol.count)
        }
        return .success(out)
    }

    /// Stress, length and syllable marks.
    static let prosody: [(String, String)] = [
        ("ˈ", "'"), ("ˌ", ","), ("ː", ":"), (".", ""), ("'", "'"), (",", ","), (":", ":"),
    ]

    /// French, as eSpeak's fr voice writes it.
    static let french: [(String, String)] = [
        ("a", "a"), ("ɑ", "A"), ("e", "e"), ("ɛ", "E"), ("i", "i"), ("o", "o"), ("ɔ", "O"), ("u", "u"), ("y", "y"),
        ("œ", "W"), ("ø", "Y"), ("ə", "@"), ("ɛ̃", "E~"), ("ɑ̃", "A~"), ("ɔ̃", "O~"), ("œ̃", "W~"), ("p", "p"),
        ("b", "b"), ("t", "t"), ("d", "d"), ("k", "k"), ("g", "g"), ("ɡ", "g"), ("f", "f"), ("v", "v"), ("s", "s"),
        ("z", "z"), ("ʃ", "S"), ("ʒ", "Z"), ("m", "m"), ("n", "n"), ("ɲ", "n^"), ("ŋ", "N"), ("l", "l"), ("ʁ", "r"),
        ("r", "r"), ("j", "j"), ("w", "w"), ("ɥ", "H"), ("h", "h"), ("x", "x"), ("ħ", "h"),
    ]

    /// Amazigh, as Qari's Amazigh voices write it (the mnemonics of `AmazighG2P.mnemonicInventory`): the dark
    /// vowels of emphatic words, labialized and spirant consonants, the Tarifit flap.
    static let amazigh: [(String, String)] = [
        ("a", "a"), ("i", "i"), ("u", "u"), ("ə", "@"), ("ɑ", "a."), ("ɪ", "i."), ("ʊ", "u."), ("b", "b"), ("β", "B"),
        ("t", "t"), ("tˤ", "t["), ("θ", "T"), ("d", "d"), ("dˤ", "dH"), ("ð", "D"), ("ðˤ", "Z"), ("k", "k"),
        ("kʷ", "kw"), ("ç", "C"), ("g", "g"), ("ɡ", "g"), ("gʷ", "gw"), ("ɡʷ", "gw"), ("ʝ", "J^"), ("q", "q"),
        ("f", "f"), ("v", "v"), ("p", "p"), ("s", "s"), ("sˤ", "s["), ("z", "z"), ("zˤ", "z"), ("ʃ", "S"),
        ("ʒ", "Z;"), ("tʃ", "tS"), ("dʒ", "dZ"), ("χ", "X"), ("x", "X"), ("xʷ", "xw"), ("ɣ", "Q\""), ("ɣʷ", "Q\"w"),
        ("ʁ", "Q\""), ("ħ", "H"), ("ʕ", "A"), ("h", "h"), ("m", "m"), ("n", "n"), ("l", "l"), ("r", "R"),
        ("rˤ", "R"), ("ɾ", "*"), ("w", "w"), ("j", "j"),
    ]

    /// Arabic, as eSpeak's ar voice writes it.
    static let arabic: [(String, String)] = [
        ("ʔ", "?"), ("b", "b"), ("t", "t"), ("θ", "T"), ("dʒ", "dZ"), ("ʒ", "dZ"), ("ħ", "H"), ("χ", "X"),
        ("x", "X"), ("d", "d"), ("ð", "D"), ("r", "R"), ("z", "z"), ("s", "s"), ("ʃ", "S"), ("sˤ", "s["),
        ("dˤ", "dH"), ("tˤ", "t["), ("ðˤ", "Z"), ("ʕ", "A"), ("ɣ", "Q"), ("f", "f"), ("q", "q"), ("k", "k"),
        ("l", "l"), ("m", "m"), ("n", "n"), ("h", "h"), ("w", "w"), ("j", "j"), ("a", "a"), ("i", "i"), ("u", "u"),
        ("e", "e"), ("o", "o"), ("g", "g"), ("v", "v"), ("p", "p"),
    ]
}
