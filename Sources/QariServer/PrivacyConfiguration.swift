import QariReading

/// Which readings are a citizen's own, and how long and how much of them memory keeps.
public struct PrivacyConfiguration: Sendable {
    /// Page addresses whose readings are private (`*` matches any run of characters; a pattern starting with `/`
    /// is matched against the address's path, any other against the whole address).
    public var pages: [String] = Settings.privatePages.default
    public var limits = PrivateLimits(
        ttl: .milliseconds(Int(Settings.privateTTL.default * 1000)),
        memory: CacheConfiguration.bytes(Settings.privateMemory.default)!)

    public init() {}

    /// Whether a page at `address` is private by the operator's patterns.
    public func isPrivate(address: String) -> Bool {
        let path = Self.path(of: address)
        return pages.contains { pattern in
            Self.matches(pattern, pattern.hasPrefix("/") ? path : address)
        }
    }

    /// The path of an address (`https://host/a/b?x#y` → `/a/b`); an address that is a path already stays one.
    static func path(of address: String) -> String {
        var rest = Substring(address)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        return String(rest.prefix { $0 != "?" && $0 != "#" })
    }

    /// A glob where `*` is any run of characters (`/` included) and everything else stands for itself.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let t = Array(text.unicodeScalars)
        var (i, j, star, mark) = (0, 0, -1, 0)
        while j < t.count {
            if i < p.count, p[i] != "*", p[i] == t[j] {
                (i, j) = (i + 1, j + 1)
            } else if i < p.count, p[i] == "*" {
                (star, mark, i) = (i, j, i + 1)
            } else if star >= 0 {
                mark += 1
                (i, j) = (star + 1, mark)
            } else {
                return false
            }
        }
        while i < p.count, p[i] == "*" { i += 1 }
        return i == p.count
    }
}
