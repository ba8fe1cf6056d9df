import CGumbo

/// Where to read: the marked, selected or `<main>` element, else the block that holds the page's text.
extension Extraction {
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
}
