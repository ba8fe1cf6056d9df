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

    /// A run of `length` code points at `offset`, found at `path` (and in text node `node` from UTF-16 `start` to
    /// `end`, or in `attribute`).
    public init(
        offset: Int, length: Int, path: [Int], node: Int? = nil, start: Int? = nil, end: Int? = nil,
        attribute: String? = nil
    ) {
        self.offset = offset
        self.length = length
        self.path = path
        self.node = node
        self.start = start
        self.end = end
        self.attribute = attribute
    }
}

/// A block of the page's main content in one language, read by one voice.
public struct Passage: Sendable, Equatable, Codable {
    public var lang: String
    public var text: String
    public var locator: [TextLocator]

    /// A passage of `text` in `lang`, found where `locator` says.
    public init(lang: String, text: String, locator: [TextLocator]) {
        self.lang = lang
        self.text = text
        self.locator = locator
    }
}

/// What a listener hears of a page.
public struct PageContent: Sendable, Codable {
    /// The page's language (`<html lang>`, primary subtag).
    public var lang: String
    public var title: String
    public var passages: [Passage]
    /// The controls of its forms, each described for a listener (apart from the passages, read in order).
    public var fields: [FormField]
    /// The page asks to be kept private (`<meta name="qari" content="private">`): a citizen's own page.
    public var isPrivate: Bool

    public init(
        lang: String, title: String, passages: [Passage], fields: [FormField] = [], isPrivate: Bool = false
    ) {
        self.lang = lang
        self.title = title
        self.passages = passages
        self.fields = fields
        self.isPrivate = isPrivate
    }

    enum CodingKeys: String, CodingKey {
        case lang, title, passages, fields
        case isPrivate = "private"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            lang: try c.decode(String.self, forKey: .lang), title: try c.decode(String.self, forKey: .title),
            passages: try c.decode([Passage].self, forKey: .passages),
            // Plans stored before forms were read have no fields.
            fields: try c.decodeIfPresent([FormField].self, forKey: .fields) ?? [],
            // Plans stored before privacy existed were all public.
            isPrivate: try c.decodeIfPresent(Bool.self, forKey: .isPrivate) ?? false)
    }
}
