/// A page as it arrives: its bytes, the charset its carrier named, and voices chosen per language.
public struct PageInput: Sendable {
    public var bytes: [UInt8]
    /// The charset the request named (nil: the page's `<meta charset>`, else UTF-8).
    public var charset: String?
    /// Language → voice id (`["zgh": "shi"]`).
    public var overrides: [String: String]
    /// The request marks the page private (`Qari-Privacy: private`, or its address matches an operator's pattern);
    /// the page itself can also ask (`<meta name="qari" content="private">`).
    public var isPrivate: Bool
    /// Nobody waits for it (a warm): read only by page workers listeners leave idle.
    public var background: Bool

    public init(
        bytes: [UInt8], charset: String? = nil, overrides: [String: String] = [:], isPrivate: Bool = false,
        background: Bool = false
    ) {
        self.bytes = bytes
        self.charset = charset
        self.overrides = overrides
        self.isPrivate = isPrivate
        self.background = background
    }
}
