import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What warming one page came to.
enum WarmOutcome: Sendable {
    /// Its reading was made now (`passages` of it).
    case made(passages: Int)
    /// Its reading was already in the daemon's store.
    case reused(passages: Int)
    /// Not warmed, for a reason that is not a failure: robots.txt, a private page.
    case skipped(String)
    case failed(String)
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
                let turn = await Robots.shared.wait(before: url, fetcher: fetcher)
                if turn > .zero { try await Task.sleep(for: turn) }
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
            // Read by page workers listeners leave idle, as its audio is made by idle speech workers.
            request.setValue("background", forHTTPHeaderField: "Qari-Priority")
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
            // Made only with workers listeners leave idle: a listener never waits behind a warm.
            var make = URLRequest(url: audio.absoluteURL)
            make.setValue("background", forHTTPHeaderField: "Qari-Priority")
            let made = try await daemonAnswer(make)
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
