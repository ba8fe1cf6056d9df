/// A page's hiding selectors filed by what their subject must carry (an id, a class, a tag), so that each element is
/// tested only against the few that could match it.
///
/// A page with hundreds of such rules and thousands of elements otherwise tests every rule on every element: most of
/// a long page's extraction time.
struct HidingSelectors: Sendable {
    private var byID: [String: [Selector]] = [:]
    private var byClass: [String: [Selector]] = [:]
    private var byTag: [String: [Selector]] = [:]
    /// Selectors whose subject is `*` or attributes alone: tested on every element.
    private var everywhere: [Selector] = []
    /// How many selectors there are.
    let count: Int

    init(_ selectors: [Selector]) {
        count = selectors.count
        for selector in selectors {
            let subject = selector.compounds[selector.compounds.count - 1]
            if let id = subject.ids.first {
                byID[id, default: []].append(selector)
            } else if let name = subject.classes.first {
                byClass[name, default: []].append(selector)
            } else if let tag = subject.tag {
                byTag[tag, default: []].append(selector)
            } else {
                everywhere.append(selector)
            }
        }
    }

    /// Whether any of the selectors matches element `index` of `document`.
    func matchAny(_ index: Int, in document: HTMLDocument) -> Bool {
        guard count > 0 else { return false }
        let node = document.nodes[index]
        guard node.kind == .element else { return false }
        func any(_ list: [Selector]?) -> Bool { list?.contains { $0.matches(index, in: document) } ?? false }
        if any(everywhere) || any(byTag[node.tag]) { return true }
        if !byID.isEmpty, let id = node.attribute("id"), any(byID[id]) { return true }
        if !byClass.isEmpty, let list = node.attribute("class") {
            for name in Selector.classNames(list) where any(byClass[String(name)]) { return true }
        }
        return false
    }
}
