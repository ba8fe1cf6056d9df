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
