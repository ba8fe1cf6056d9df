import CGumbo

/// A yes/no answer per tag, indexed by `Node.tagID`; unknown tags answer by name.
struct TagSet: Sendable {
    private let known: [Bool]
    private let names: Set<String>

    init(_ names: Set<String>) {
        var known = [Bool](repeating: false, count: Int(GUMBO_TAG_LAST.rawValue) + 1)
        for name in names {
            let id = Int(gumbo_tag_enum(name).rawValue)
            if id < known.count && id != Int(GUMBO_TAG_UNKNOWN.rawValue) { known[id] = true }
        }
        self.known = known
        self.names = names
    }

    func contains(_ node: borrowing HTMLDocument.Node) -> Bool {
        node.tagID == Int(GUMBO_TAG_UNKNOWN.rawValue) || node.tagID >= known.count
            ? names.contains(node.tag) : known[node.tagID]
    }
}
