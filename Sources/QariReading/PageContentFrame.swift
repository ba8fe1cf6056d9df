import Foundation
import QariPage
import QariWorkers

/// A page's content as a page worker sends it, in the framing's binary form.
///
/// A long page has thousands of locators: written and read as JSON they cost more than parsing the page, on the
/// way to a first click's answer. The form fields, few and rich, stay JSON inside.
extension PageContent {
    /// Writes the content to a frame body.
    func write(to w: inout ByteWriter) throws {
        w.string(lang)
        w.string(title)
        w.u8(isPrivate ? 1 : 0)
        w.raw(fields.isEmpty ? [] : Array(try JSONEncoder().encode(fields)))
        w.u32(UInt32(passages.count))
        for passage in passages {
            w.string(passage.lang)
            w.string(passage.text)
            w.u32(UInt32(passage.locator.count))
            for l in passage.locator {
                w.int(l.offset)
                w.int(l.length)
                w.u32(UInt32(l.path.count))
                for step in l.path { w.int(step) }
                w.optional(l.node)
                w.optional(l.start)
                w.optional(l.end)
                if let attribute = l.attribute {
                    w.u8(1)
                    w.string(attribute)
                } else {
                    w.u8(0)
                }
            }
        }
    }

    /// Reads content written by `write(to:)`; throws `FrameError` or a JSON error for bytes it did not write.
    static func read(from r: inout ByteReader) throws -> PageContent {
        let lang = try r.string()
        let title = try r.string()
        let isPrivate = try r.u8() == 1
        let json = try r.raw()
        let fields = json.isEmpty ? [] : try JSONDecoder().decode([FormField].self, from: Data(json))
        var passages: [Passage] = []
        for _ in 0..<(try r.count()) {
            let passageLang = try r.string()
            let text = try r.string()
            var locator: [TextLocator] = []
            for _ in 0..<(try r.count()) {
                let offset = try r.int()
                let length = try r.int()
                var path: [Int] = []
                for _ in 0..<(try r.count()) { path.append(try r.int()) }
                let node = try r.optionalInt()
                let start = try r.optionalInt()
                let end = try r.optionalInt()
                let attribute = try r.u8() == 1 ? try r.string() : nil
                locator.append(
                    TextLocator(
                        offset: offset, length: length, path: path, node: node, start: start, end: end,
                        attribute: attribute))
            }
            passages.append(Passage(lang: passageLang, text: text, locator: locator))
        }
        return PageContent(lang: lang, title: title, passages: passages, fields: fields, isPrivate: isPrivate)
    }
}

extension ByteWriter {
    fileprivate mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    fileprivate mutating func optional(_ v: Int?) {
        if let v {
            u8(1)
            int(v)
        } else {
            u8(0)
        }
    }
}

extension ByteReader {
    fileprivate mutating func int() throws(FrameError) -> Int { Int(Int64(bitPattern: try u64())) }
    fileprivate mutating func optionalInt() throws(FrameError) -> Int? { try u8() == 1 ? try int() : nil }
}
