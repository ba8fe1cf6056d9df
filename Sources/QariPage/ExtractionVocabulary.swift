/// The words of extraction: tags and roles never read, and the class and id words that say a block is chrome.
extension Extraction {
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
}
