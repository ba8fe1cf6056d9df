import CGumbo
import Glibc
import Synchronization

/// A parsed HTML page: libgumbo's HTML5 tree, copied into Swift values.
///
/// The tree is the one a browser builds (same elements, text nodes and comments in the same places), so paths
/// into it locate the same nodes in the browser's DOM. A browser runs scripts, so `<noscript>` holds raw text
/// there: libgumbo parses as if scripts were off, where a tracking pixel's `<img>` in a `<noscript>` in `<head>`
/// ends the head and shifts every element of `<body>` (see `ScriptingOn`).
public struct HTMLDocument: Sendable {
    public enum Kind: UInt8, Sendable {
        case document, element, text, whitespace, comment, other
    }

    public struct Node: Sendable {
        public var kind: Kind
        /// Lowercase tag name of an element ("" otherwise).
        public var tag: String
        /// Attributes in source order, names lowercase.
        public var attributes: [(name: String, value: String)]
        /// The text of a text, whitespace or comment node.
        public var text: String
        public var parent: Int
        public var children: [Int]
        /// This node's index in its parent's `childNodes`.
        public var childIndex = 0
        /// An element's index in its parent's `children` (elements only).
        public var elementIndex = 0
        /// libgumbo's number for the tag (`GUMBO_TAG_UNKNOWN` for others): lets hot loops test tags by table.
        public var tagID = Int(GUMBO_TAG_UNKNOWN.rawValue)

        /// The value of attribute `name`, if present.
        public func attribute(_ name: String) -> String? {
            attributes.first { $0.name == name }?.value
        }
    }

    /// All nodes; index 0 is the document.
    public var nodes: [Node]
    /// The name of the page's `<!DOCTYPE>`, if it has one.
    public var doctype: String?

    /// The `<html>` element.
    public var root: Int { nodes[0].children.first { nodes[$0].kind == .element } ?? 0 }

    /// The first element with this tag, in document order.
    public func first(_ tag: String, under start: Int = 0) -> Int? {
        var stack = [start]
        while let i = stack.popLast() {
            if nodes[i].kind == .element && nodes[i].tag == tag { return i }
            stack += nodes[i].children.reversed()
        }
        return nil
    }

    /// Parses `html` (already decoded) with libgumbo.
    public init(parsing html: String) async {
        self = await onLargeStack { HTMLDocument(gumbo: html) }
    }

    /// Parses on the calling thread; deep trees need a large stack (see `onLargeStack`).
    init(gumbo html: String) {
        var utf8 = Array(html.utf8)
        let noscripts = ScriptingOn.rewrite(&utf8)
        utf8.append(0)
        var nodes: [Node] = []
        var elementCounts: [Int] = []
        var doctype: String?
        utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let output = qari_gumbo_parse(chars.baseAddress, chars.count - 1) else { return }
                defer { qari_gumbo_destroy(output) }
                let document = output.pointee.document.pointee.v.document
                if document.has_doctype { doctype = String(cString: document.name) }
                // Iterative copy: hostile pages nest far deeper than a recursive walk could go.
                var stack: [(UnsafeMutablePointer<GumboNode>, Int)] = [(output.pointee.document, -1)]
                while let (pointer, parent) = stack.popLast() {
                    let index = nodes.count
                    var node = Self.node(pointer, parent: parent)
                    if node.tag == "noframes", noscripts.contains(Int(pointer.pointee.v.element.start_pos.offset)) {
                        node.tag = "noscript"
                        node.tagID = Int(GUMBO_TAG_NOSCRIPT.rawValue)
                    }
                    if parent >= 0 {
                        node.childIndex = nodes[parent].children.count
                        node.elementIndex = elementCounts[parent]
                        if node.kind == .element { elementCounts[parent] += 1 }
                        nodes[parent].children.append(index)
                    }
                    nodes.append(node)
                    elementCounts.append(0)
                    let type = pointer.pointee.type
                    guard type == GUMBO_NODE_ELEMENT || type == GUMBO_NODE_TEMPLATE || type == GUMBO_NODE_DOCUMENT
                    else { continue }
                    var children =
                        type == GUMBO_NODE_DOCUMENT
                        ? pointer.pointee.v.document.children : pointer.pointee.v.element.children
                    for i in stride(from: Int(children.length) - 1, through: 0, by: -1) {
                        stack.append((qari_gumbo_node(&children, UInt32(i)), index))
                    }
                }
            }
        }
        self.doctype = doctype
        self.nodes =
            nodes.isEmpty ? [Node(kind: .document, tag: "", attributes: [], text: "", parent: -1, children: [])] : nodes
    }

    static func node(_ pointer: UnsafeMutablePointer<GumboNode>, parent: Int) -> Node {
        let n = pointer.pointee
        switch n.type {
        case GUMBO_NODE_DOCUMENT:
            return Node(kind: .document, tag: "", attributes: [], text: "", parent: parent, children: [])
        case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE:
            var element = n.v.element
            var tag = element.tag == GUMBO_TAG_UNKNOWN ? "" : String(cString: gumbo_normalized_tagname(element.tag))
            if tag.isEmpty {
                var original = element.original_tag
                gumbo_tag_from_original_text(&original)
                if let data = original.data {
                    tag = String(
                        decoding: UnsafeRawBufferPointer(start: data, count: original.length), as: UTF8.self
                    ).lowercased()
                }
            }
            var attributes: [(String, String)] = []
            for i in 0..<element.attributes.length {
                let a = qari_gumbo_attribute(&element.attributes, i)!.pointee
                // gumbo lowercases HTML attribute names and adjusts foreign ones (viewBox, xlink:href).
                var name = String(cString: a.name)
                switch a.attr_namespace {
                case GUMBO_ATTR_NAMESPACE_XLINK: name = "xlink:" + name
                case GUMBO_ATTR_NAMESPACE_XML: name = "xml:" + name
                case GUMBO_ATTR_NAMESPACE_XMLNS where name != "xmlns": name = "xmlns:" + name
                default: break
                }
                attributes.append((name, String(cString: a.value)))
            }
            var node = Node(kind: .element, tag: tag, attributes: attributes, text: "", parent: parent, children: [])
            node.tagID = Int(element.tag.rawValue)
            return node
        case GUMBO_NODE_TEXT, GUMBO_NODE_CDATA:
            return Node(
                kind: .text, tag: "", attributes: [], text: String(cString: n.v.text.text), parent: parent, children: []
            )
        case GUMBO_NODE_WHITESPACE:
            return Node(
                kind: .whitespace, tag: "", attributes: [], text: String(cString: n.v.text.text), parent: parent,
                children: [])
        case GUMBO_NODE_COMMENT:
            return Node(
                kind: .comment, tag: "", attributes: [], text: String(cString: n.v.text.text), parent: parent,
                children: [])
        default:
            return Node(kind: .other, tag: "", attributes: [], text: "", parent: parent, children: [])
        }
    }
}

/// Runs `body` on a thread with a 512 MB stack (reserved, not committed) and returns its result.
///
/// libgumbo frees its tree recursively, one frame per level of nesting; a hostile page nests millions deep.
func onLargeStack<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let work = LargeStackWork { continuation.resume(returning: body()) }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 512 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let context = Unmanaged.passRetained(work).toOpaque()
        let rc = pthread_create(
            &thread, &attributes,
            { context in
                let work = Unmanaged<LargeStackWork>.fromOpaque(context!).takeRetainedValue()
                work.run()
                return nil
            }, context)
        if rc != 0 {
            // No thread to be had: run here (only deep trees need the large stack).
            Unmanaged<LargeStackWork>.fromOpaque(context).takeRetainedValue().run()
        }
    }
}

/// The closure a large-stack thread runs, exactly once.
private final class LargeStackWork: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
