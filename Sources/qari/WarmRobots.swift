import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What a site's `robots.txt` allows `qari` (its own group, else `*`): the longest matching rule wins, Allow on a tie
/// (RFC 9309).
struct RobotsRules: Sendable {
    var rules: [(allow: Bool, path: String)] = []

    init(_ text: String, agent: String = "qari") {
        var groups: [(agents: [String], rules: [(Bool, String)])] = []
        var lastWasAgent = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if !lastWasAgent || groups.isEmpty { groups.append(([], [])) }
                groups[groups.count - 1].agents.append(value.lowercased())
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                guard !groups.isEmpty, !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append((key == "allow", value))
            default:
                lastWasAgent = false
            }
        }
        let own = groups.filter { $0.agents.contains { agent.lowercased().hasPrefix($0) && $0 != "*" } }
        let chosen = own.isEmpty ? groups.filter { $0.agents.contains("*") } : own
        rules = chosen.flatMap(\.rules).map { (allow: $0.0, path: $0.1) }
    }

    /// Whether `path` (with its query) may be fetched.
    func allows(_ path: String) -> Bool {
        var best: (allow: Bool, length: Int)?
        for rule in rules where Self.matches(rule.path, path) {
            let length = rule.path.count
            if best == nil || length > best!.length || length == best!.length && rule.allow {
                best = (rule.allow, length)
            }
        }
        return best?.allow ?? true
    }

    /// A rule's path against a URL path: `*` matches any run of characters, a final `$` the end.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let anchored = pattern.hasSuffix("$")
        let parts = (anchored ? String(pattern.dropLast()) : pattern).split(
            separator: "*", omittingEmptySubsequences: false)
        var rest = path[...]
        for (i, part) in parts.enumerated() {
            if i == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if let found = rest.range(of: part) {
                rest = rest[found.upperBound...]
            } else {
                return false
            }
        }
        return !anchored || rest.isEmpty || parts.last == ""
    }
}

/// Each site's robots.txt, fetched once.
actor Robots {
    static let shared = Robots()
    var sites: [String: RobotsRules] = [:]

    func allows(_ url: URL, fetcher: WarmFetcher) async -> Bool {
        guard let scheme = url.scheme, let host = url.host else { return true }
        let site = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        if sites[site] == nil {
            // No robots.txt (or none readable) allows everything (RFC 9309 §2.3.1.3); 5xx is taken as no access.
            var rules = RobotsRules("")
            if let robots = URL(string: site + "/robots.txt"), let answer = try? await fetcher.get(robots) {
                if answer.status == 200 {
                    rules = RobotsRules(String(decoding: answer.body, as: UTF8.self))
                } else if answer.status >= 500 {
                    rules = RobotsRules("user-agent: *\ndisallow: /")
                }
            }
            sites[site] = rules
        }
        let path = url.path.isEmpty ? "/" : url.path
        return sites[site]!.allows(path + (url.query.map { "?" + $0 } ?? ""))
    }
}
