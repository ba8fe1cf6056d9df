import CGumbo
import Glibc
import QariText

/// Where a passage's text is in the page: a run of a DOM text node (or an image's `alt`).
///
/// `path` leads from `document.documentElement` through `children[i]`; `node` is then an index into
/// `childNodes`, and `start`/`end` are UTF-16 offsets in that text node, which is what a browser's `Range` takes.
public struct TextLocator: Sendable, Equatable, Codable {
    /// Code-point offset of this run in the passage's text.
    public var offset: Int
    /// Its length in code points.
    public var length: Int
    public var path: [Int]
    public var node: Int?
    public var start: Int?
    public var end: Int?
    /// Set when the text is an attribute of the element at `path` (`alt`).
    public var attribute: String?
}

/// A block of the page's main content in one language, read by one voice.
public struct Passage: Sendable, Equatable, Codable {
    public var lang: String
    public var text: String
    public var locator: [TextLocator]
}

/// What a listener hears of a page.
public struct PageContent: Sendable, Codable {
    /// The page's language (`<html lang>`, primary subtag).
    public var lang: String
    public var title: String
    public var passages: [Passage]
}

/// Why a page cannot be read.
public enum PageError: Error, Equatable, Sendable, Codable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case undecodable(HTMLDecoding.Failure)
    case timeLimit(milliseconds: Int)
    case tooDeep(depth: Int, limit: Int)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): "the page is \(bytes) bytes; the limit is \(limit)"
        case .undecodable(let failure): failure.description
        case .timeLimit(let ms): "the page took longer than \(ms) ms to read; it is too large or too complex"
        case .tooDeep(let depth, let limit): "the page nests elements \(depth) deep or more; the limit is \(limit)"
        }
    }
}

/// Settings of page reading.
public struct PageOptions: Sendable, Codable, Equatable {
    /// A CSS selector for the reading area, used when the page has no `data-qari-read` element.
    public var readSelector: String?
    /// The largest page accepted, in bytes.
    public var maxBytes: Int
    /// The longest extraction may take.
    public var timeLimitMilliseconds: Int
    /// The deepest nesting of elements accepted (real pages stay under a hundred).
    public var maxDepth: Int

    public init(
        readSelector: String? = nil, maxBytes: Int = 5 << 20, timeLimitMilliseconds: Int = 3000, maxDepth: Int = 2000
    ) {
        self.readSelector = readSelector
        self.maxBytes = maxBytes
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.maxDepth = maxDepth
    }
}

/// Service-page HTML in, its main content out: passages in reading order, each with its language and locator.
///
/// The rules are those of ../shared/corpus/README.md: read `data-qari-read`, the configured selector, `<main>`
/// or the element holding the page's own content; skip navigation, complementary content, controls, scripts
/// and anything hidden; a passage per block, cut where the language or the script changes.
public enum PageReader {
    /// Decodes and parses a page, within the size and nesting limits.
    public static func parse(bytes: [UInt8], charset: String? = nil, options: PageOptions = .init())
        async throws(PageError)
        -> HTMLDocument
    {
        let html = try checkedText(bytes: bytes, charset: charset, options: options)
        return await HTMLDocument(parsing: html)
    }

    /// `parse` on the calling thread: for a worker process, whose main thread's stack holds the bounded depth.
    public static func parseHere(bytes: [UInt8], charset: String? = nil, options: PageOptions = .init())
        throws(PageError) -> HTMLDocument
    {
        HTMLDocument(gumbo: try checkedText(bytes: bytes, charset: charset, options: options))
    }

    /// The page's text, once its size, encoding and nesting are within the limits.
    static func checkedText(bytes: [UInt8], charset: String?, options: PageOptions) throws(PageError) -> String {
        guard bytes.count <= options.maxBytes else { throw .tooLarge(bytes: bytes.count, limit: options.maxBytes) }
        let html: String
        do {
            html = try HTMLDecoding.decode(bytes, charset: charset)
        } catch {
            throw .undecodable(error)
        }
        if let depth = nestingEstimate(html, limit: options.maxDepth) {
            throw .tooDeep(depth: depth, limit: options.maxDepth)
        }
        return html
    }

    /// Extracts the main content of an already parsed page.
    public static func extract(_ document: HTMLDocument, options: PageOptions = .init()) throws(PageError)
        -> PageContent
    {
        try Extraction(
            document: document, options: options, deadline: Deadline(milliseconds: options.timeLimitMilliseconds)
        )
        .run()
    }

    /// Decodes, parses and extracts a page.
    public static func read(bytes: [UInt8], charset: String? = nil, options: PageOptions = .init())
        async throws(PageError)
        -> PageContent
    {
        try extract(try await parse(bytes: bytes, charset: charset, options: options), options: options)
    }
}

/// Tags that never hold content, or that the parser closes by themselves when the next one opens.
private let notNesting: Set<String> = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "dt", "dd", "td", "th", "tr", "option", "param", "keygen",
]

/// A resource guard, not a parser: the deepest nesting the page's tags could build, if it reaches `limit`.
///
/// HTML tree building checks the stack of open elements for every tag, so a page nested N deep costs N² (a
/// 200,000-deep page took libgumbo ten minutes). Counting start and end tags bounds that before parsing; tags
/// that close themselves and void elements do not count, so real pages stay far below.
func nestingEstimate(_ html: String, limit: Int) -> Int? {
    var depth = 0
    var previous: UInt8 = 0
    var inTag = false
    var closing = false
    var nameDone = false
    var name: [UInt8] = []
    func isNameByte(_ b: UInt8) -> Bool {
        (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-")
    }
    for b in html.utf8 {
        defer { previous = b }
        if !inTag {
            if previous == UInt8(ascii: "<") && (b == UInt8(ascii: "/") || (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) {
                inTag = true
                closing = b == UInt8(ascii: "/")
                nameDone = false
                name = closing ? [] : [b | 0x20]
            }
            continue
        }
        if b == UInt8(ascii: ">") {
            inTag = false
            if closing {
                depth = max(0, depth - 1)
            } else if previous != UInt8(ascii: "/") && !notNesting.contains(String(decoding: name, as: UTF8.self)) {
                depth += 1
                if depth >= limit { return depth }
            }
        } else if !nameDone {
            if isNameByte(b) && name.count < 16 {
                name.append(b | 0x20)
            } else if !(closing && name.isEmpty) {
                nameDone = true
            }
        }
    }
    return nil
}

/// A monotonic-clock deadline.
struct Deadline: Sendable {
    let end: UInt64
    let milliseconds: Int

    init(milliseconds: Int) {
        self.milliseconds = milliseconds
        end = Self.now() + UInt64(milliseconds) * 1_000_000
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    var passed: Bool { Self.now() > end }
}

/// One extraction over a parsed document.
struct Extraction {
    let document: HTMLDocument
    let options: PageOptions
    let deadline: Deadline
    let hiddenBy: [Selector]
    let nodes: [HTMLDocument.Node]

    init(document: HTMLDocument, options: PageOptions, deadline: Deadline) {
        self.document = document
        self.nodes = document.nodes
        self.options = options
        self.deadline = deadline
        hiddenBy = Self.hidingSelectors(document)
    }

    // MARK: What is never read

    static let skippedTags: Set<String> = [
        "script", "style", "template", "noscript", "nav", "aside", "form", "button", "input", "select", "textarea",
        "label", "option", "optgroup", "datalist", "output", "progress", "meter", "fieldset", "iframe", "frame",
        "frameset", "svg", "math", "audio", "video", "canvas", "object", "embed", "dialog", "map", "head", "title",
        "meta", "link", "base", "marquee", "menu", "source", "track", "picture",
    ]
    static let skipped = TagSet(skippedTags)
    static let block = TagSet(blockTags)
    static let textBlock = TagSet(textBlocks)

    static let skippedRoles: Set<String> = [
        "navigation", "complementary", "banner", "contentinfo", "search", "form", "dialog", "alertdialog",
        "toolbar", "tablist", "tab", "menu", "menubar", "menuitem", "button", "tooltip", "presentation-none",
    ]
    /// Words of class and id names that mark site chrome (English and French), even on a `div`.
    static let chromeWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "menubar", "submenu", "breadcrumb", "breadcrumbs", "crumbs", "ariane",
        "sidebar", "share", "sharing", "social", "related", "liees", "lies", "cookie", "cookies", "consent", "toc",
        "sommaire", "pager", "pagination", "toolbar", "tools", "outils", "skip", "feedback", "rating",
        "satisfaction", "newsletter", "search", "recherche", "chat", "langs", "switcher", "a11y", "modal", "popup",
        "toggle", "widget", "carousel", "advert", "ads", "promo",
    ]
    /// Pairs of adjacent words that name chrome together (`see-also`, `lang-links`).
    static let chromePairs: Set<String> = ["see also", "voir aussi", "back to", "lang links", "lang switch"]
    static let pairStarts: Set<String> = ["see", "voir", "back", "lang"]

    static let blockTags: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
        "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul", "legend", "html", "search", "listing", "xmp", "plaintext",
    ]
    static let textBlocks: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote", "figcaption", "caption",
        "summary", "th", "address",
    ]

    /// Selectors of the page's own `<style>` rules that hide (display:none or visibility:hidden), for all media.
    static func hidingSelectors(_ document: HTMLDocument) -> [Selector] {
        var selectors: [Selector] = []
        for node in document.nodes where node.kind == .element && node.tag == "style" {
            if let media = node.attribute("media")?.lowercased(), !media.isEmpty, media != "all", media != "screen" {
                continue
            }
            let css = node.children.map { document.nodes[$0].text }.joined()
            collect(CSS.parseStylesheet(css), into: &selectors)
        }
        return selectors
    }

    static func collect(_ rules: [CSS.Rule], into selectors: inout [Selector]) {
        for rule in rules {
            switch rule {
            case .style(let prelude, let declarations):
                if declarations.contains(where: hides), let list = Selector.parseList(prelude) { selectors += list }
            case .at(let name, let prelude, let inner, _):
                // Rules inside @media apply only for some screens; @supports and @layer apply everywhere.
                let lower = name.lowercased()
                let media = CSS.serialize(prelude).lowercased().trimmingASCIISpaces()
                if lower == "media" && !(media == "all" || media == "screen") { continue }
                if let inner { collect(inner, into: &selectors) }
            }
        }
    }

    static func hides(_ d: CSS.Declaration) -> Bool {
        let value = d.value.filter { $0 != .whitespace }
        guard value.count == 1, case .ident(let v) = value[0] else { return false }
        return (d.name == "display" && v.lowercased() == "none")
            || (d.name == "visibility" && (v.lowercased() == "hidden" || v.lowercased() == "collapse"))
    }

    /// Whether `element` and everything in it is hidden from every reader.
    func isHidden(_ element: Int) -> Bool {
        let node = nodes[element]
        if node.attribute("hidden") != nil { return true }
        if node.attribute("aria-hidden")?.lowercased() == "true" { return true }
        if node.tag == "input" && node.attribute("type")?.lowercased() == "hidden" { return true }
        if let style = node.attribute("style"), CSS.parseDeclarations(style).contains(where: Self.hides) { return true }
        return hiddenBy.contains { $0.matches(element, in: document) }
    }

    /// Whether `element` is something a listener never hears (chrome, controls, hidden).
    func isSkipped(_ element: Int) -> Bool {
        let node = nodes[element]
        if Self.skipped.contains(node) { return true }
        if node.attribute("data-qari-skip") != nil { return true }
        if let role = node.attribute("role")?.lowercased(), Self.skippedRoles.contains(role) { return true }
        if isChromeByName(node) { return true }
        if (node.tag == "header" || node.tag == "footer") && !isInsideSection(element) { return true }
        return isHidden(element)
    }

    func isChromeByName(_ node: HTMLDocument.Node) -> Bool {
        let classes = node.attribute("class")
        let id = node.attribute("id")
        guard classes != nil || id != nil else { return false }
        for names in [classes, id] {
            guard let names, !names.isEmpty else { continue }
            let words = names.lowercased().split { !($0.isLetter || $0.isNumber) }
            for (i, word) in words.enumerated() {
                if Self.chromeWords.contains(String(word)) { return true }
                if i + 1 < words.count, Self.pairStarts.contains(String(word)),
                    Self.chromePairs.contains(word + " " + words[i + 1])
                {
                    return true
                }
            }
        }
        return false
    }

    /// Whether a header or footer belongs to an article or section (read) rather than to the page (skipped).
    func isInsideSection(_ element: Int) -> Bool {
        var p = nodes[element].parent
        while p >= 0 {
            let n = nodes[p]
            if ["article", "main", "section"].contains(n.tag) || n.attribute("role")?.lowercased() == "main" {
                return true
            }
            p = n.parent
        }
        return false
    }

    // MARK: Where to read

    /// The elements whose content is read, in document order.
    func readingAreas() -> [Int] {
        let all = (0..<nodes.count).filter { nodes[$0].kind == .element }
        func topmost(_ found: [Int]) -> [Int] {
            found.filter { f in !found.contains { $0 != f && isAncestor($0, of: f) } }
        }
        let marked = all.filter { nodes[$0].attribute("data-qari-read") != nil }
        if !marked.isEmpty { return topmost(marked) }
        if let selector = options.readSelector, let list = Selector.parseList(selector) {
            let found = all.filter { i in list.contains { $0.matches(i, in: document) } }
            if !found.isEmpty { return topmost(found) }
        }
        let mains = all.filter {
            (nodes[$0].tag == "main" || nodes[$0].attribute("role")?.lowercased() == "main") && !isHiddenOrInside($0)
        }
        if let first = topmost(mains).first { return [first] }
        return [contentHolder()]
    }

    func isAncestor(_ a: Int, of b: Int) -> Bool {
        var p = nodes[b].parent
        while p >= 0 {
            if p == a { return true }
            p = nodes[p].parent
        }
        return false
    }

    func isHiddenOrInside(_ element: Int) -> Bool {
        var p = element
        while p >= 0 {
            if nodes[p].kind == .element && isHidden(p) { return true }
            p = nodes[p].parent
        }
        return false
    }

    /// Without `<main>`: from `<body>`, go down into the child that holds most of the readable text (and the
    /// page's first heading) while it holds at least 60% of it and no readable text comes before it; the content
    /// cell of a layout table, the content wrapper of div soup. Link text weighs nothing.
    func contentHolder() -> Int {
        var weight = [Int](repeating: 0, count: nodes.count)
        var skipped = [Bool](repeating: false, count: nodes.count)
        for i in 0..<nodes.count where nodes[i].kind == .element {
            let parentSkipped = nodes[i].parent >= 0 && skipped[nodes[i].parent]
            skipped[i] = parentSkipped || isSkipped(i) || isPageHeaderOrFooter(i)
        }
        for i in stride(from: nodes.count - 1, through: 0, by: -1) {
            let node = nodes[i]
            let parent = node.parent
            if node.kind == .text, parent >= 0, !skipped[parent], !isInsideLink(i) {
                weight[i] = node.text.unicodeScalars.filter { $0.properties.isAlphabetic }.count
            }
            if parent >= 0 && !(nodes[i].kind == .element && skipped[i]) { weight[parent] += weight[i] }
        }
        let body = document.first("body") ?? document.root
        let heading = document.first("h1", under: body).flatMap { skipped[$0] ? nil : $0 }
        var current = body
        while true {
            let children = nodes[current].children.filter { nodes[$0].kind == .element && !skipped[$0] }
            guard let best = children.max(by: { weight[$0] < weight[$1] }),
                weight[best] * 10 >= weight[current] * 6, !Self.textBlock.contains(nodes[best])
            else { break }
            // Never leave the page's main heading behind, nor readable text before the best child (a title or
            // intro in div soup; chrome before content is links or skipped, which weigh nothing).
            if let heading, isAncestor(current, of: heading), !isAncestor(best, of: heading) { break }
            let before = nodes[current].children.prefix { $0 != best }.reduce(0) { $0 + weight[$1] }
            if before > 20 { break }
            current = best
        }
        return current
    }

    static let pageChromeWords: Set<String> = ["header", "footer", "masthead", "topbar", "top", "banner", "pied"]

    /// A `header`/`footer`, or a `div` named like one, of the page rather than of an article.
    func isPageHeaderOrFooter(_ element: Int) -> Bool {
        let node = nodes[element]
        if node.tag == "header" || node.tag == "footer" { return true }
        let names = ((node.attribute("class") ?? "") + " " + (node.attribute("id") ?? "")).lowercased()
        return names.split { !($0.isLetter || $0.isNumber) }.contains { Self.pageChromeWords.contains(String($0)) }
            && !isInsideSection(element)
    }

    func isInsideLink(_ index: Int) -> Bool {
        var p = nodes[index].parent
        while p >= 0 {
            if nodes[p].tag == "a" { return true }
            if Self.block.contains(nodes[p]) { return false }
            p = nodes[p].parent
        }
        return false
    }

    // MARK: Passages

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
        for area in readingAreas() {
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
        return PageContent(lang: pageLang, title: PassageBuilder.collapse(title), passages: builder.passages)
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
                if i != area && isSkipped(i) { continue }
                let id = nodes[i].tagID
                if id == Int(GUMBO_TAG_BR.rawValue) {
                    builder.flush()
                    continue
                }
                if id == Int(GUMBO_TAG_IMG.rawValue) || id == Int(GUMBO_TAG_AREA.rawValue) {
                    if let alt = nodes[i].attribute("alt"), !alt.allSatisfy(\.isWhitespace) {
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
                        nodes[child].kind == .element
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
