import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
