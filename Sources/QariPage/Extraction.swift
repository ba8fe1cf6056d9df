import CGumbo
import QariText

/// One extraction over a parsed document.
///
/// Every element is judged once, up front: what is never read (scripts, controls, navigation by tag or role,
/// hidden), then what is read only when it holds the page's text (blocks named like chrome, forms, link lists).
/// Names weigh against a block, they never remove the block that holds the page's text: page builders and
/// WebForms wrap whole articles in `elementor-widget-container`, `content-with-sidebar-wrp` or one `<form>`.
struct Extraction {
    let document: HTMLDocument
    let options: PageOptions
    let deadline: Deadline
    let hiddenBy: HidingSelectors
    let nodes: [HTMLDocument.Node]
    /// Whether each element (itself, not through an ancestor) is left unread.
    var skip: [Bool] = []
    /// Letters of readable text under each node, all and inside links (`<a>`).
    var letters: [Int] = []
    var linkLetters: [Int] = []
    /// Readable letters outside links in the whole page.
    var pageWeight = 0
    /// The page's first readable `<h1>` with text outside links.
    var heading: Int?

    init(document: HTMLDocument, options: PageOptions, deadline: Deadline) {
        self.document = document
        self.nodes = document.nodes
        self.options = options
        self.deadline = deadline
        hiddenBy = Self.hidingSelectors(document)
        judge()
    }
}

/// The passages: the reading areas walked in document order, each text in its language.
extension Extraction {
    /// The page's language: `<html lang>` (primary subtag).
    func pageLanguage() -> String {
        Self.primary(nodes[document.root].attribute("lang") ?? nodes[document.root].attribute("xml:lang") ?? "") ?? ""
    }

    static func primary(_ tag: String) -> String? {
        let p = Languages.primary(tag)
        return p.isEmpty ? nil : p
    }

    /// The language of `element`'s content: its nearest `lang`.
    func language(of element: Int, fallback: String) -> String {
        var p = element
        while p >= 0 {
            if let tag = nodes[p].attribute("lang") ?? nodes[p].attribute("xml:lang"), let primary = Self.primary(tag) {
                return primary
            }
            p = nodes[p].parent
        }
        return fallback
    }

    func run() throws(PageError) -> PageContent {
        var pageLang = pageLanguage()
        var builder = PassageBuilder(document: document)
        let areas = readingAreas()
        for area in areas {
            try walk(area, builder: &builder, fallback: pageLang.isEmpty ? "fr" : pageLang)
        }
        builder.flush()
        if pageLang.isEmpty {
            // No <html lang>: the language most of the text is in.
            var counts: [String: Int] = [:]
            for p in builder.passages { counts[p.lang, default: 0] += p.text.count }
            pageLang = counts.max { $0.value < $1.value }?.key ?? "fr"
        }
        let title = document.first("title").map { nodes[$0].children.map { nodes[$0].text }.joined() } ?? ""
        // Most pages have no form: they cost one look at each tag.
        let fields =
            nodes.contains { $0.kind == .element && FormFields.kind($0) != nil }
            ? try FormFields(document: document, hiddenBy: hiddenBy, pageLang: pageLang, deadline: deadline).run() : []
        return PageContent(
            lang: pageLang, title: PassageBuilder.collapse(title),
            passages: Self.withoutLeadingChrome(builder.passages), fields: fields,
            isPrivate: asksPrivacy())
    }

    /// Whether the page carries `<meta name="qari" content="private">` (names and values compared as HTML compares
    /// them: case-insensitive, spaces around ignored; `content` a space-separated list that holds `private`).
    func asksPrivacy() -> Bool {
        nodes.contains { node in
            node.kind == .element && node.tag == "meta"
                && node.attribute("name").map { Self.words($0) == ["qari"] } == true
                && Self.words(node.attribute("content") ?? "").contains("private")
        }
    }

    /// An attribute's space-separated words, lower-cased as HTML compares these names.
    static func words(_ value: String) -> [Substring] {
        value.lowercased().split(whereSeparator: {
            $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}"
        })
    }

    func walk(_ area: Int, builder: inout PassageBuilder, fallback: String) throws(PageError) {
        // Iterative, depth-first, in document order: (node, entering, language of its content).
        var stack: [(Int, Bool, String)] = [(area, true, language(of: area, fallback: fallback))]
        var steps = 0
        while let (i, entering, lang) = stack.popLast() {
            steps += 1
            if steps & 1023 == 0 && deadline.passed { throw .timeLimit(milliseconds: deadline.milliseconds) }
            // Fields are read in place: copying a node would retain all of its parts.
            switch nodes[i].kind {
            case .text, .whitespace:
                builder.append(textNode: i, lang: lang)
            case .element:
                if !entering {
                    if Self.block.contains(nodes[i]) { builder.flush() }
                    continue
                }
                if i != area && skip[i] { continue }
                let id = nodes[i].tagID
                if id == Int(GUMBO_TAG_BR.rawValue) {
                    builder.flush()
                    continue
                }
                if id == Int(GUMBO_TAG_IMG.rawValue) || id == Int(GUMBO_TAG_AREA.rawValue) {
                    if let alt = nodes[i].attribute("alt"), !alt.allSatisfy(\.isWhitespace), !Self.isFileName(alt),
                        !isRepeatedNearby(alt, image: i)
                    {
                        builder.flush()
                        builder.appendAlt(element: i, text: alt, lang: lang)
                        builder.flush()
                    }
                    continue
                }
                if Self.block.contains(nodes[i]) { builder.flush() }
                stack.append((i, false, lang))
                for child in nodes[i].children.reversed() {
                    let own =
                        nodes[child].kind == .element && !nodes[child].attributes.isEmpty
                        ? (nodes[child].attribute("lang") ?? nodes[child].attribute("xml:lang")).flatMap(Self.primary)
                        : nil
                    stack.append((child, true, own ?? lang))
                }
            default:
                continue
            }
        }
    }
}
