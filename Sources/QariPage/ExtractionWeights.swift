import CGumbo

/// The weighing of a page: letters of text under every node, and the judging of each element from them.
extension Extraction {
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
}
