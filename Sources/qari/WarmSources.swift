import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A page to warm: a saved HTML file, or an address fetched from the portal.
enum WarmPage: Hashable, Sendable, CustomStringConvertible {
    case file(String)
    case url(URL)

    /// What the state file and the summary name it by.
    var description: String {
        switch self {
        case .file(let path): path
        case .url(let url): url.absoluteString
        }
    }
}

/// The pages `qari warm` is given: sitemaps (files or addresses, sitemap indexes followed), lists of addresses (one
/// per line, `#` comments), saved HTML files and page addresses.
struct WarmSources {
    let fetcher: WarmFetcher

    /// Every page the sources name, in order, each once.
    func pages(_ sources: [String]) async throws -> [WarmPage] {
        var out: [WarmPage] = []
        var seen = Set<WarmPage>()
        func add(_ page: WarmPage) {
            if seen.insert(page).inserted { out.append(page) }
        }
        for source in sources {
            if let url = URL(string: source), url.scheme == "http" || url.scheme == "https" {
                if url.path.lowercased().hasSuffix(".xml") {
                    for page in try await sitemap(url, depth: 0) { add(page) }
                } else {
                    add(.url(url))
                }
                continue
            }
            guard let data = FileManager.default.contents(atPath: source) else {
                throw CLIError("\(source): cannot read it (a sitemap, a list of addresses or an HTML file)")
            }
            let text = String(decoding: data.prefix(4096), as: UTF8.self).lowercased()
            if Self.isSitemap(text) {
                for loc in Self.locations(in: String(decoding: data, as: UTF8.self)) {
                    guard let url = URL(string: loc) else { continue }
                    if Self.isSitemapIndex(text) {
                        for page in try await sitemap(url, depth: 1) { add(page) }
                    } else {
                        add(.url(url))
                    }
                }
            } else if source.lowercased().hasSuffix(".html") || source.lowercased().hasSuffix(".htm")
                || text.contains("<html") || text.contains("<!doctype")
            {
                add(.file(source))
            } else {
                for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                    let entry = line.trimmingCharacters(in: .whitespaces)
                    guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
                    guard let url = URL(string: entry), url.scheme == "http" || url.scheme == "https" else {
                        throw CLIError("\(source): \"\(entry)\" is not an http(s) address")
                    }
                    add(.url(url))
                }
            }
        }
        return out
    }

    /// The pages of the sitemap at `url` (an index's sitemaps followed, one level deep).
    func sitemap(_ url: URL, depth: Int) async throws -> [WarmPage] {
        let answer = try await fetcher.get(url)
        guard answer.status == 200 else {
            throw CLIError("\(url.absoluteString): the sitemap answered \(answer.status)")
        }
        let text = String(decoding: answer.body, as: UTF8.self)
        let head = String(text.prefix(4096)).lowercased()
        guard Self.isSitemap(head) else { throw CLIError("\(url.absoluteString): not an XML sitemap") }
        var out: [WarmPage] = []
        for loc in Self.locations(in: text) {
            guard let page = URL(string: loc) else { continue }
            if Self.isSitemapIndex(head) {
                guard depth == 0 else { continue }
                out += try await sitemap(page, depth: 1)
            } else {
                out.append(.url(page))
            }
        }
        return out
    }

    static func isSitemap(_ head: String) -> Bool { head.contains("<urlset") || isSitemapIndex(head) }
    static func isSitemapIndex(_ head: String) -> Bool { head.contains("<sitemapindex") }

    /// The `<loc>` values of a sitemap, entities decoded (the sitemap protocol escapes `&`, `'`, `"`, `<`, `>`).
    static func locations(in xml: String) -> [String] {
        var out: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<loc>", options: .caseInsensitive),
            let close = rest.range(of: "</loc>", options: .caseInsensitive, range: open.upperBound..<rest.endIndex)
        {
            var loc = String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
            if loc.hasPrefix("<![CDATA["), loc.hasSuffix("]]>") { loc = String(loc.dropFirst(9).dropLast(3)) }
            for (entity, character) in [
                ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&"),
            ] {
                loc = loc.replacingOccurrences(of: entity, with: character)
            }
            out.append(loc)
            rest = rest[close.upperBound...]
        }
        return out
    }
}

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

/// The HTTP the warm needs: fetching pages, sitemaps and robots.txt, and asking the daemon.
struct WarmFetcher: Sendable {
    struct Answer: Sendable {
        var status: Int
        var body: Data
        var headers: [String: String]
    }

    let session: URLSession
    static let userAgent = "qari-warm (+https://github.com/qari)"

    init(timeout: TimeInterval) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpAdditionalHeaders = ["User-Agent": Self.userAgent]
        session = URLSession(configuration: configuration)
    }

    func get(_ url: URL) async throws -> Answer { try await send(URLRequest(url: url)) }

    func send(_ request: URLRequest) async throws -> Answer {
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return Answer(status: http?.statusCode ?? 0, body: data, headers: headers)
    }
}

/// Warms one page at a time: fetches it, asks the daemon for its reading, and has its audio made.
struct WarmWorker: Sendable {
    let fetcher: WarmFetcher
    let daemon: URL
    let delay: Double
    /// The answers to 429 a page waits out before it fails.
    static let retries = 5

    func warm(_ page: WarmPage) async -> WarmOutcome {
        do {
            let bytes: Data
            var contentType = "text/html"
            var address: String?
            switch page {
            case .file(let path):
                guard let data = FileManager.default.contents(atPath: path) else { return .failed("cannot read it") }
                bytes = data
            case .url(let url):
                guard await Robots.shared.allows(url, fetcher: fetcher) else {
                    return .skipped("robots.txt disallows it")
                }
                let answer = try await fetcher.get(url)
                if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
                guard answer.status == 200 else { return .failed("the page answered \(answer.status)") }
                contentType = answer.headers["content-type"] ?? contentType
                guard contentType.lowercased().contains("html") else { return .failed("not a page (\(contentType))") }
                bytes = answer.body
                address = url.absoluteString
            }
            var request = URLRequest(url: daemon.appendingPathComponent("v1/readings"))
            request.httpMethod = "POST"
            if let html = String(data: bytes, encoding: .utf8) {
                // As the reader button sends a page: its address lets the daemon apply the operator's private pages.
                var body: [String: String] = ["html": html]
                if let address { body["url"] = address }
                request.httpBody = try JSONSerialization.data(withJSONObject: body)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            } else {
                request.httpBody = bytes
                request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            }
            let answer = try await daemonAnswer(request)
            guard answer.status == 200 || answer.status == 201 else { return .failed(Self.problem(answer)) }
            guard let doc = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else {
                return .failed("the daemon's answer is not a reading")
            }
            let passages = (doc["passages"] as? [Any])?.count ?? 0
            if doc["private"] as? Bool == true { return .skipped("a private page: its reading is never stored") }
            if doc["cached"] as? Bool == true { return .reused(passages: passages) }
            guard let ogg = (doc["audio"] as? [String: String])?["ogg"],
                let audio = URL(string: ogg, relativeTo: daemon)
            else {
                return .failed("the daemon's answer names no audio")
            }
            let made = try await daemonAnswer(URLRequest(url: audio.absoluteURL))
            guard made.status == 200 else { return .failed("its audio: " + Self.problem(made)) }
            return .made(passages: passages)
        } catch let error as URLError {
            return .failed(error.localizedDescription)
        } catch {
            return .failed("\(error)")
        }
    }

    /// The daemon's answer, waiting out its rate limit (`Retry-After`) a few times.
    func daemonAnswer(_ request: URLRequest) async throws -> WarmFetcher.Answer {
        var attempt = 0
        while true {
            let answer = try await fetcher.send(request)
            guard answer.status == 429 || answer.status == 503, attempt < Self.retries else { return answer }
            attempt += 1
            let wait = answer.headers["retry-after"].flatMap(Double.init) ?? 5
            try await Task.sleep(for: .milliseconds(Int(min(wait, 120) * 1000)))
        }
    }

    /// An error answer in one line: its problem's detail (RFC 9457), else its status.
    static func problem(_ answer: WarmFetcher.Answer) -> String {
        let doc = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        let detail = doc?["detail"] as? String ?? doc?["title"] as? String
        return "the daemon answered \(answer.status)" + (detail.map { ": \($0)" } ?? "")
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
