import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What a site's `robots.txt` allows `qari` (its own group, else `*`): the longest matching rule wins, Allow on a tie
/// (RFC 9309).
struct RobotsRules: Sendable {
    var rules: [(allow: Bool, path: String)] = []
    /// Seconds the site asks between two fetches (`Crawl-delay`, not in RFC 9309 but widely used), at most 60.
    var crawlDelay: Double?

    init(_ text: String, agent: String = "qari") {
        var groups: [(agents: [String], rules: [(Bool, String)], delay: Double?)] = []
        var lastWasAgent = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if !lastWasAgent || groups.isEmpty { groups.append(([], [], nil)) }
                groups[groups.count - 1].agents.append(value.lowercased())
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                guard !groups.isEmpty, !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append((key == "allow", value))
            case "crawl-delay":
                lastWasAgent = false
                guard !groups.isEmpty, let seconds = Double(value), seconds.isFinite, seconds > 0 else { continue }
                groups[groups.count - 1].delay = min(seconds, 60)
            default:
                lastWasAgent = false
            }
        }
        let own = groups.filter { $0.agents.contains { agent.lowercased().hasPrefix($0) && $0 != "*" } }
        let chosen = own.isEmpty ? groups.filter { $0.agents.contains("*") } : own
        rules = chosen.flatMap(\.rules).map { (allow: $0.0, path: $0.1) }
        crawlDelay = chosen.compactMap(\.delay).max()
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

/// Each site's robots.txt, fetched once, and each site's next turn to be fetched when it asks for a delay.
actor Robots {
    static let shared = Robots()
    var sites: [String: RobotsRules] = [:]
    var nextTurn: [String: ContinuousClock.Instant] = [:]

    func allows(_ url: URL, fetcher: WarmFetcher) async -> Bool {
        guard let site = Self.site(url) else { return true }
        let path = url.path.isEmpty ? "/" : url.path
        return await rules(site, fetcher: fetcher).allows(path + (url.query.map { "?" + $0 } ?? ""))
    }

    /// How long to wait before fetching `url`, so that the site's pages are `Crawl-delay` apart across every
    /// connection (the turn is taken now: call once per fetch).
    func wait(before url: URL, fetcher: WarmFetcher) async -> Duration {
        guard let site = Self.site(url), let delay = await rules(site, fetcher: fetcher).crawlDelay else {
            return .zero
        }
        let now = ContinuousClock.now
        let turn = max(now, nextTurn[site] ?? now)
        nextTurn[site] = turn + .milliseconds(Int(delay * 1000))
        return turn - now
    }

    private static func site(_ url: URL) -> String? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    private func rules(_ site: String, fetcher: WarmFetcher) async -> RobotsRules {
        if let known = sites[site] { return known }
        // No robots.txt (or none readable) allows everything (RFC 9309 §2.3.1.3); 5xx is taken as no access.
        var rules = RobotsRules("")
        if let robots = URL(string: site + "/robots.txt"), let answer = try? await fetcher.get(robots) {
            if answer.status == 200 {
                rules = RobotsRules(String(decoding: answer.body, as: UTF8.self))
            } else if answer.status >= 500 {
                rules = RobotsRules("user-agent: *\ndisallow: /")
            }
        }
        if let known = sites[site] { return known }  // fetched meanwhile by another connection
        sites[site] = rules
        if let delay = rules.crawlDelay {
            warn("\(site)/robots.txt asks \(delay) s between pages (Crawl-delay): its pages are fetched that far apart")
        }
        return rules
    }
}
