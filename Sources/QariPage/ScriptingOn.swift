/// Makes libgumbo build the tree a browser with scripts on builds, where `<noscript>` holds raw text.
///
/// libgumbo has no scripting flag and parses `<noscript>` as if scripts were off: its content becomes elements,
/// and in `<head>` an `<img>` there (a tracking pixel, on most news pages) closes the head and moves what follows
/// into `<body>`, so every path into the body points one element or more too far and no word can be highlighted.
/// `<noframes>` is parsed as raw text in the head and the body alike, as a browser parses `<noscript>`, and its
/// name has the same length, so every byte offset stays where it was.
enum ScriptingOn {
    /// Renames each `<noscript` and `</noscript` tag in `bytes` to `noframes`; returns the offsets of the `<` of
    /// the start tags renamed, so their elements can be given their own name back.
    static func rewrite(_ bytes: inout [UInt8]) -> Set<Int> {
        let name = Array("noscript".utf8)
        let replacement = Array("noframes".utf8)
        var starts = Set<Int>()
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            let closing = i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/")
            let at = i + (closing ? 2 : 1)
            guard at + name.count < bytes.count, matches(bytes, at: at, name),
                ends(bytes[at + name.count])
            else {
                i += 1
                continue
            }
            for k in 0..<replacement.count { bytes[at + k] = replacement[k] }
            if !closing { starts.insert(i) }
            i = at + name.count
        }
        return starts
    }

    /// Whether `name` (lowercase) is at `at`, in any case.
    static func matches(_ bytes: [UInt8], at: Int, _ name: [UInt8]) -> Bool {
        for k in 0..<name.count where bytes[at + k] | 0x20 != name[k] { return false }
        return true
    }

    /// Whether `c` ends a tag name: a space, `/` or `>`.
    static func ends(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
            || c == 0x0C || c == UInt8(ascii: "/") || c == UInt8(ascii: ">")
    }
}
