import CGumbo
import Glibc
import QariText

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
///
/// Every element is judged once, up front: what is never read (scripts, controls, navigation by tag or role,
/// hidden), then what is read only when it holds the page's text (blocks named like chrome, forms, link lists).
/// Names weigh against a block, they never remove the block that holds the page's text: page builders and
/// WebForms wrap whole articles in `elementor-widget-container`, `content-with-sidebar-wrp` or one `<form>`.
struct Extraction {
    let document: HTMLDocument
    let options: PageOptions
    let deadline: Deadline
    let hiddenBy: [Selector]
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

    // MARK: What is never read

    static let skippedTags: Set<String> = [
        "script", "style", "template", "noscript", "nav", "aside", "button", "input", "select", "textarea",
        "label", "option", "optgroup", "datalist", "output", "progress", "meter", "fieldset", "iframe", "frame",
        "frameset", "svg", "math", "audio", "video", "canvas", "object", "embed", "dialog", "map", "head", "title",
        "meta", "link", "base", "marquee", "menu", "source", "track", "picture",
    ]
    static let skipped = TagSet(skippedTags)
    static let block = TagSet(blockTags)
    static let textBlock = TagSet(textBlocks)

    static let skippedRoles: Set<String> = [
        "navigation", "complementary", "banner", "contentinfo", "search", "dialog", "alertdialog",
        "toolbar", "tablist", "tab", "menu", "menubar", "menuitem", "button", "tooltip", "presentation-none",
    ]
    /// Words of class and id names that mark site chrome (English and French), and what is never the page's own
    /// text (streams of other articles, share bars, follow boxes), wherever they appear in a name (`cookies-bar`,
    /// `l-sidebar-fixed`, `related-posts`, `author-follow`): such a block is read only when it holds the page's
    /// text.
    static let chromeWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "menubar", "submenu", "breadcrumb", "breadcrumbs", "crumbs", "ariane",
        "sidebar", "share", "sharing", "sharedaddy", "social", "related", "relatedposts", "liees", "cookie",
        "cookies", "consent", "sommaire", "pager", "pagination", "toolbar", "outils", "skip", "feedback",
        "satisfaction", "newsletter", "subscribe", "search", "recherche", "langs", "switcher", "a11y", "advert",
        "ads", "promo", "sponsored", "trending", "popular", "mostread", "recommended", "recommendations",
        "outbrain", "taboola", "follow",
    ]
    /// Chrome words that themes and page builders also put in the names of content blocks
    /// (`elementor-widget-container`, `margin_top_10`, `entry-header`, `elementor-toggle`): a name that is one of
    /// them (`class="widget"`) weighs as a chrome word, a name that only contains one counts only when the block
    /// is mostly links.
    static let ambiguousWords: Set<String> = [
        "widget", "top", "header", "modal", "rating", "toggle", "tools", "carousel", "toc", "chat", "popup",
    ]
    /// Words that name a comment thread, which can hold more text than a short article: read only when it also
    /// holds the page's heading.
    static let commentWords: Set<String> = [
        "comment", "comments", "commentlist", "commentaires", "kommentare", "disqus", "respond", "trackbacks",
        "pingbacks", "replies",
    ]
    /// Pairs of adjacent words that name chrome together (`see-also`, `lang-links`, `most-read`).
    static let chromePairs: Set<String> = [
        "see also", "voir aussi", "back to", "lang links", "lang switch", "most read", "most popular",
    ]
    static let pairStarts: Set<String> = ["see", "voir", "back", "lang", "most"]
    static let pageChromeWords: Set<String> = ["header", "footer", "masthead", "topbar", "top", "banner", "pied"]

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

    /// Whether `element` and everything in it is hidden from every reader by its own markup or the page's CSS.
    func isHidden(_ element: Int) -> Bool {
        if !nodes[element].attributes.isEmpty {
            if nodes[element].attribute("hidden") != nil { return true }
            if nodes[element].attribute("aria-hidden")?.lowercased() == "true" { return true }
            if nodes[element].tagID == Int(GUMBO_TAG_INPUT.rawValue)
                && nodes[element].attribute("type")?.lowercased() == "hidden"
            {
                return true
            }
            if let style = nodes[element].attribute("style"), CSS.parseDeclarations(style).contains(where: Self.hides) {
                return true
            }
        }
        return hiddenBy.contains { $0.matches(element, in: document) }
    }

    /// Never read, whatever it holds: scripts, controls, navigation and complementary content by tag or role.
    func isNeverRead(_ element: Int) -> Bool {
        if Self.skipped.contains(nodes[element]) { return true }
        if nodes[element].attributes.isEmpty { return false }
        if nodes[element].attribute("data-qari-skip") != nil { return true }
        if let role = nodes[element].attribute("role")?.lowercased(), Self.skippedRoles.contains(role) { return true }
        return false
    }

    /// How strongly an element's class and id names say it is not the page's own text.
    enum NameVerdict { case none, partly, chrome, comments }

    /// Words after which a name says what a block has or is near, not what it is (`has-ads`,
    /// `content-with-sidebar`, `no-sidebars`).
    static let modifierWords: Set<String> = ["has", "with", "without", "no", "avec", "sans"]

    func verdict(of node: HTMLDocument.Node) -> NameVerdict {
        var result = NameVerdict.none
        for names in [node.attribute("class"), node.attribute("id")] {
            guard let names, !names.isEmpty else { continue }
            for token in names.lowercased().split(whereSeparator: \.isWhitespace) {
                // A BEM modifier (`section--ads`) is a property of the block, not its kind.
                let kind = token.firstRange(of: "--").map { token[..<$0.lowerBound] } ?? token[...]
                let words = kind.split { !($0.isLetter || $0.isNumber) }.map(String.init)
                // An id of four words or more is made from a heading (`sharing-with-a-single-developer`).
                if names == node.attribute("id") && words.count >= 4 { continue }
                for (i, word) in words.enumerated() {
                    if Self.modifierWords.contains(word) { break }
                    if Self.commentWords.contains(word) { return .comments }
                    let pair =
                        i + 1 < words.count && Self.pairStarts.contains(word)
                        && Self.chromePairs.contains(word + " " + words[i + 1])
                    if pair || Self.chromeWords.contains(word)
                        || (words.count == 1 && Self.ambiguousWords.contains(word))
                    {
                        result = .chrome
                    } else if Self.ambiguousWords.contains(word), result == .none {
                        result = .partly
                    }
                }
            }
        }
        return result
    }

    /// Letters of prose under every node: text in blocks that hold at least 100 letters outside links, what
    /// articles are made of and chrome rarely has; elements in `skipped` left out.
    func prose(letters all: [Int], links linked: [Int], skipping skipped: [Bool]) -> [Int] {
        var blockOf = [Int](repeating: -1, count: nodes.count)
        var unread = [Bool](repeating: false, count: nodes.count)
        var prose = [Int](repeating: 0, count: nodes.count)
        for i in 0..<nodes.count {
            let parent = nodes[i].parent
            unread[i] = (parent >= 0 && unread[parent]) || (nodes[i].kind == .element && skipped[i])
            blockOf[i] =
                nodes[i].kind == .element && Self.block.contains(nodes[i]) ? i : (parent >= 0 ? blockOf[parent] : -1)
        }
        for i in stride(from: nodes.count - 1, through: 0, by: -1) {
            if nodes[i].kind == .text, !unread[i], blockOf[i] >= 0, all[blockOf[i]] - linked[blockOf[i]] >= 100 {
                prose[i] = all[i]
            }
            if nodes[i].parent >= 0 { prose[nodes[i].parent] += prose[i] }
        }
        return prose
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

    /// Letters of the readable text nodes under every node, all and inside links, with `skipped` elements
    /// (and what they hold) left out; and the number of links under each.
    func weigh(skipping skipped: [Bool], text: [Int]) -> (letters: [Int], links: [Int], linkCount: [Int]) {
        var all = [Int](repeating: 0, count: nodes.count)
        var linked = [Int](repeating: 0, count: nodes.count)
        var count = [Int](repeating: 0, count: nodes.count)
        let anchor = Int(GUMBO_TAG_A.rawValue)
        for i in stride(from: nodes.count - 1, through: 0, by: -1) {
            let kind = nodes[i].kind
            if kind == .text {
                all[i] = text[i]
            } else if kind == .element {
                if skipped[i] {
                    all[i] = 0
                    linked[i] = 0
                    count[i] = 0
                    continue
                }
                if nodes[i].tagID == anchor {
                    linked[i] = all[i]
                    count[i] += 1
                }
            }
            let parent = nodes[i].parent
            if parent >= 0 {
                all[parent] += all[i]
                linked[parent] += linked[i]
                count[parent] += count[i]
            }
        }
        return (all, linked, count)
    }

    /// The letters of a text (ASCII ones counted without a property look-up).
    static func letterCount(_ text: String) -> Int {
        var n = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A { n += 1 }
            } else if scalar.properties.isAlphabetic {
                n += 1
            }
        }
        return n
    }

    /// Decides, once for every element, whether it is read; weighs the page.
    mutating func judge() {
        let count = nodes.count
        var never = [Bool](repeating: false, count: count)
        var hidden = [Bool](repeating: false, count: count)
        // What is inside an element never read needs no judging, nor counting.
        var inNever = [Bool](repeating: false, count: count)
        var text = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let parent = nodes[i].parent
            if parent >= 0 && inNever[parent] {
                inNever[i] = true
                continue
            }
            switch nodes[i].kind {
            case .element:
                never[i] = isNeverRead(i)
                inNever[i] = never[i]
                hidden[i] = !never[i] && isHidden(i)
            case .text: text[i] = Self.letterCount(nodes[i].text)
            default: break
            }
        }
        // Hiding that would remove (nearly) all of the page's text is page-level hiding that scripts undo: an
        // `aria-hidden` wrapper while a dialog is open, `html { display: none }` against clickjacking.
        let raw = weigh(skipping: never, text: text).letters
        let body = document.first("body") ?? document.root
        let rawTotal = raw[body]
        for i in 0..<count where hidden[i] && rawTotal > 0 && raw[i] * 5 >= rawTotal * 4 { hidden[i] = false }
        var out = zip(never, hidden).map { $0 || $1 }
        var (all, linked, links) = weigh(skipping: out, text: text)
        let total = all[body] - linked[body]
        // The page's heading: its first `<h1>` with text of its own (not a logo in a link).
        heading = (body..<count).first { h in
            nodes[h].kind == .element && nodes[h].tagID == Int(GUMBO_TAG_H1.rawValue) && all[h] > linked[h]
                && !isUnread(h, out)
        }
        // A block that holds half of the page's prose (else of its text outside links) is the page's text,
        // whatever its name; one without the page's heading must hold 70%, as a side column of teasers can hold
        // as much prose as a short article.
        let prose = prose(letters: all, links: linked, skipping: out)
        func holdsPage(_ i: Int) -> Bool {
            let share = heading.map { isAncestor(i, of: $0) } ?? true ? 5 : 7
            return prose[body] > 0
                ? prose[i] * 10 >= prose[body] * share : total > 0 && (all[i] - linked[i]) * 10 >= total * share
        }
        func linkDense(_ i: Int, _ share: Int) -> Bool { all[i] > 0 && linked[i] * 10 >= all[i] * share }
        var verdicts: [String: NameVerdict] = [:]
        let form = Int(GUMBO_TAG_FORM.rawValue)
        let header = Int(GUMBO_TAG_HEADER.rawValue)
        let footer = Int(GUMBO_TAG_FOOTER.rawValue)
        let anchor = Int(GUMBO_TAG_A.rawValue)
        for i in 0..<count where nodes[i].kind == .element && !out[i] {
            let tag = nodes[i].tagID
            var verdict = NameVerdict.none
            if !nodes[i].attributes.isEmpty, nodes[i].attribute("class") != nil || nodes[i].attribute("id") != nil {
                let key = (nodes[i].attribute("class") ?? "") + "\u{0}" + (nodes[i].attribute("id") ?? "")
                if let known = verdicts[key] {
                    verdict = known
                } else {
                    verdict = self.verdict(of: nodes[i])
                    verdicts[key] = verdict
                }
            }
            let unread: Bool
            switch verdict {
            case .comments:
                unread = !(holdsPage(i) && (heading.map { isAncestor(i, of: $0) } ?? true))
            case .chrome: unread = !holdsPage(i)
            case .partly: unread = linkDense(i, 5) && !holdsPage(i)
            case .none:
                if tag == form || (!nodes[i].attributes.isEmpty && nodes[i].attribute("role")?.lowercased() == "form") {
                    // A form is a control, unless it wraps the page (ASP.NET WebForms).
                    unread = !holdsPage(i)
                } else if (tag == header || tag == footer) && !isInsideSection(i) {
                    unread = !holdsPage(i)
                } else if links[i] >= 3 && tag != anchor && !Self.textBlock.contains(nodes[i]) {
                    // A list of links (a menu, tags, other articles) outside the page's own paragraphs.
                    unread = linkDense(i, 7) && !holdsPage(i)
                } else {
                    unread = false
                }
            }
            out[i] = unread
        }
        (all, linked, _) = weigh(skipping: out, text: text)
        skip = out
        letters = all
        linkLetters = linked
        pageWeight = all[body] - linked[body]
    }

    func isUnread(_ element: Int, _ skipped: [Bool]) -> Bool {
        var p = element
        while p >= 0 {
            if skipped[p] { return true }
            p = nodes[p].parent
        }
        return false
    }

    // MARK: Where to read

    /// Readable letters outside links under `i`.
    func weight(_ i: Int) -> Int { letters[i] - linkLetters[i] }

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
        // The `<main>` with the page's text: not an empty or hidden one, nor one that holds an advert while the
        // article is elsewhere.
        let mains = topmost(
            all.filter {
                (nodes[$0].tag == "main" || nodes[$0].attribute("role")?.lowercased() == "main") && !isUnread($0, skip)
            })
        if let best = mains.max(by: { weight($0) < weight($1) }), weight(best) > 0, weight(best) * 4 >= pageWeight {
            return [best]
        }
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

    /// Without `<main>`: from `<body>`, go down into the child that holds most of the readable text (and the
    /// page's first heading) while it holds at least 60% of it and no readable text comes before it; the content
    /// cell of a layout table, the content wrapper of div soup. Link text weighs nothing.
    func contentHolder() -> Int {
        let body = document.first("body") ?? document.root
        var current = body
        while true {
            let children = nodes[current].children.filter {
                nodes[$0].kind == .element && !skip[$0] && !isPageHeaderOrFooter($0)
            }
            guard let best = children.max(by: { weight($0) < weight($1) }),
                weight(best) * 10 >= weight(current) * 6, !Self.textBlock.contains(nodes[best])
            else { break }
            // Never leave the page's main heading behind, nor readable text before the best child (a title or
            // intro in div soup; chrome before content is links or skipped, which weigh nothing).
            if let heading, isAncestor(current, of: heading), !isAncestor(best, of: heading) { break }
            let before = nodes[current].children.prefix { $0 != best }.reduce(0) {
                $0 + (nodes[$1].kind == .element && isPageHeaderOrFooter($1) ? 0 : weight($1))
            }
            if before > 20 { break }
            current = best
        }
        return current
    }

    /// A `div` named like a page's header or footer, not inside an article, that does not hold the page's text.
    func isPageHeaderOrFooter(_ element: Int) -> Bool {
        let node = nodes[element]
        let names = ((node.attribute("class") ?? "") + " " + (node.attribute("id") ?? "")).lowercased()
        return names.split { !($0.isLetter || $0.isNumber) }.contains { Self.pageChromeWords.contains(String($0)) }
            && !isInsideSection(element) && weight(element) * 2 < pageWeight
    }

    // MARK: Images

    static let imageExtensions: Set<String> = [
        "jpg", "jpeg", "png", "gif", "webp", "svg", "bmp", "tif", "tiff", "avif", "heic",
    ]
    static let cameraPrefixes = ["img", "dsc", "dscn", "dcim", "pxl", "photo", "image", "screenshot", "capture"]

    /// Whether an image's alt text is its file's name (`12-IMG_3886.jpg`, `DSC_0042`), which says nothing.
    static func isFileName(_ alt: String) -> Bool {
        let text = alt.trimmingASCIISpaces().lowercased()
        if let dot = text.lastIndex(of: "."), imageExtensions.contains(String(text[text.index(after: dot)...])) {
            return true
        }
        // A camera's or a tool's name for a picture: a known prefix, then only digits and separators.
        let words = text.split { !($0.isLetter || $0.isNumber) }
        guard let first = words.first(where: { !$0.allSatisfy(\.isNumber) }),
            let prefix = cameraPrefixes.first(where: { first.hasPrefix($0) }),
            first.dropFirst(prefix.count).allSatisfy(\.isNumber)
        else { return false }
        return words.filter { $0 != first }.allSatisfy { $0.allSatisfy(\.isNumber) } && text.contains { $0.isNumber }
    }

    /// Whether the text around an image (its figure, or the nearest ancestor with text) already says its alt:
    /// a caption that repeats it is read once.
    func isRepeatedNearby(_ alt: String, image: Int) -> Bool {
        let wanted = PassageBuilder.collapse(alt).lowercased()
        var p = nodes[image].parent
        for _ in 0..<3 where p >= 0 {
            var text = ""
            var stack = [p]
            while let n = stack.popLast(), text.utf8.count < 4000 {
                if nodes[n].kind == .text { text += nodes[n].text + " " }
                if nodes[n].kind == .element && (n == p || !skip[n]) { stack += nodes[n].children.reversed() }
            }
            let around = PassageBuilder.collapse(text).lowercased()
            if !around.isEmpty || nodes[p].tag == "figure" { return around.contains(wanted) }
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
