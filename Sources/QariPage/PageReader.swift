import CGumbo
import Glibc
import QariText

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

    /// The fields of a page or of a fragment of one (a field added by script, an error summary), in `lang` when the
    /// fragment does not say its own language.
    public static func fields(_ document: HTMLDocument, lang: String?, options: PageOptions = .init())
        throws(PageError) -> [FormField]
    {
        let root = document.nodes[document.root]
        let pageLang =
            (root.attribute("lang") ?? lang).flatMap(Extraction.primary) ?? lang.flatMap(Extraction.primary) ?? "fr"
        return try FormFields(
            document: document, hiddenBy: Extraction.hidingSelectors(document), pageLang: pageLang,
            deadline: Deadline(milliseconds: options.timeLimitMilliseconds)
        ).run()
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
