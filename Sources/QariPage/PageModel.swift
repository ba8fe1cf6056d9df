import CGumbo
import Glibc
import QariText

/// Where a passage's text is in the page: a run of a DOM text node (or an image's `alt`).
///
/// `path` leads from `document.documentElement` through `children[i]`; `node` is then an index into
/// `childNodes`, and `start`/`end` are UTF-16 offsets in that text node, which is what a browser's `Range` takes.
public struct TextLocator: Sendable, Equatable, Codable {
    /// Code-point offset of this run in the passage's text.
    public var offset: Int
    /// Its length in code points.
    public var length: Int
    public var path: [Int]
    public var node: Int?
    public var start: Int?
    public var end: Int?
    /// Set when the text is an attribute of the element at `path` (`alt`).
    public var attribute: String?
}

/// A block of the page's main content in one language, read by one voice.
public struct Passage: Sendable, Equatable, Codable {
    public var lang: String
    public var text: String
    public var locator: [TextLocator]
}

/// What a listener hears of a page.
public struct PageContent: Sendable, Codable {
    /// The page's language (`<html lang>`, primary subtag).
    public var lang: String
    public var title: String
    public var passages: [Passage]
}

/// Why a page cannot be read.
public enum PageError: Error, Equatable, Sendable, Codable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case undecodable(HTMLDecoding.Failure)
    case timeLimit(milliseconds: Int)
    case tooDeep(depth: Int, limit: Int)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): "the page is \(bytes) bytes; the limit is \(limit)"
        case .undecodable(let failure): failure.description
        case .timeLimit(let ms): "the page took longer than \(ms) ms to read; it is too large or too complex"
        case .tooDeep(let depth, let limit): "the page nests elements \(depth) deep or more; the limit is \(limit)"
        }
    }
}

/// Settings of page reading.
public struct PageOptions: Sendable, Codable, Equatable {
    /// A CSS selector for the reading area, used when the page has no `data-qari-read` element.
    public var readSelector: String?
    /// The largest page accepted, in bytes.
    public var maxBytes: Int
    /// The longest extraction may take.
    public var timeLimitMilliseconds: Int
    /// The deepest nesting of elements accepted (real pages stay under a hundred).
    public var maxDepth: Int

    public init(
        readSelector: String? = nil, maxBytes: Int = 5 << 20, timeLimitMilliseconds: Int = 3000, maxDepth: Int = 2000
    ) {
        self.readSelector = readSelector
        self.maxBytes = maxBytes
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.maxDepth = maxDepth
    }
}
