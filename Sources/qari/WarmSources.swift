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
