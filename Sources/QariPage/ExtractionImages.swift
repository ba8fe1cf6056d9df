/// Images: an alt text is read unless it is a file's name or repeats the text around it.
extension Extraction {
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
}
