import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QariTestSupport
import Testing

@testable import QariServer

/// Who may call what, per-client limits, CORS, request ids and metrics; in memory, but where the peer's address
/// matters.
@Suite(.serialized) struct AccessTests {
    static let keys = ["k-0123456789abcdef-old", "k-fedcba9876543210-new"]
    static let page = ByteBuffer(
        string: "<html lang=fr><body><main><p>Votre demande est reçue.</p></main></body></html>")

    static func configuration(_ change: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
        var c = ServerTests.configuration()
        c.access.apiKeys = keys
        c.access.corsOrigins = ["https://portal.example"]
        change(&c)
        return c
    }

    static let speech = ServerTests.json(["text": "Bonjour.", "voice": "fr"])

    @Test func portalRoutesNeedOneOfTheKeysAndWidgetRoutesDoNot() async throws {
        try await ServerTests.withApp(Self.configuration()) { client in
            let none = try await client.execute(uri: "/v1/speech", method: .post, body: Self.speech)
            _ = try ServerTests.expectProblem(none, .unauthorized, "unauthorized")
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await client.execute(
                uri: "/v1/speech", method: .post, headers: [.authorization: "Bearer k-0123456789abcdef-ol"],
                body: Self.speech)
            _ = try ServerTests.expectProblem(wrong, .unauthorized, "unauthorized")
            // Both keys work at once, so the portal can rotate them.
            for key in Self.keys {
                let ok = try await client.execute(
                    uri: "/v1/speech", method: .post, headers: [.authorization: "Bearer \(key)"], body: Self.speech)
                #expect(ok.status == .ok)
                #expect(ok.headers[.contentType] == "audio/wav")
            }
            for path in ["/v1/read", "/v1/read/plan", "/v1/transform?mode=contrast"] {
                let r = try await client.execute(
                    uri: path, method: .post, headers: [.contentType: "text/html"], body: Self.page)
                _ = try ServerTests.expectProblem(r, .unauthorized, "unauthorized")
            }
            // The widget's routes: open.
            let reading = try await client.execute(
                uri: "/v1/readings", method: .post, headers: [.contentType: "text/html"], body: Self.page)
            #expect(reading.status == .ok)
            #expect(try await client.execute(uri: "/v1/transform.css?mode=contrast", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test func aClientOverItsReadingsLimitIsToldWhenToComeBackAndOthersAreNot() async throws {
        let configuration = Self.configuration {
            $0.access.readingsPerMinute = 6
            $0.access.readingsBurst = 2
            $0.access.trustedProxies = ["127.0.0.1"]
        }
        // A real socket: the limits count the peer, or whom a trusted proxy forwarded for.
        try await ServerTests.withApp(configuration, .live) { client in
            func post(_ forwarded: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "text/html"]
                if let forwarded { headers[HTTPField.Name("X-Forwarded-For")!] = forwarded }
                return try await client.execute(uri: "/v1/readings", method: .post, headers: headers, body: Self.page)
            }
            // A script: the third new reading at once is refused, with when to come back (6 a minute: 10 s).
            #expect(try await post("203.0.113.7").status == .ok)
            #expect(try await post("203.0.113.7").status == .ok)
            let refused = try await post("203.0.113.7")
            let problem = try ServerTests.expectProblem(refused, .tooManyRequests, "rate-limited")
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { (1...10).contains($0) } == true)
            #expect((problem["detail"] as? String)?.contains("6 new readings a minute") == true)
            // Another citizen behind the same proxy is not affected; the proxy's own hops are skipped.
            #expect(try await post("198.51.100.4, 127.0.0.1").status == .ok)
            // A forged X-Forwarded-For from a peer that is not a trusted proxy would not help: see below.
        }
        let untrusted = Self.configuration {
            $0.access.readingsPerMinute = 6
            $0.access.readingsBurst = 1
        }
        try await ServerTests.withApp(untrusted, .live) { client in
            for (i, forged) in ["192.0.2.1", "192.0.2.2"].enumerated() {
                let r = try await client.execute(
                    uri: "/v1/readings", method: .post,
                    headers: [.contentType: "text/html", HTTPField.Name("X-Forwarded-For")!: forged], body: Self.page)
                #expect(r.status == (i == 0 ? .ok : .tooManyRequests), "a forged X-Forwarded-For made a new client")
            }
        }
    }

    @Test func browsersOfListedOriginsMayCallTheWidgetRoutesOnly() async throws {
        try await ServerTests.withApp(Self.configuration()) { client in
            let allowed = try await client.execute(
                uri: "/v1/readings", method: .options,
                headers: [.origin: "https://portal.example", .accessControlRequestMethod: "POST"])
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://portal.example")
            #expect(allowed.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let other = try await client.execute(
                uri: "/v1/readings", method: .options,
                headers: [.origin: "https://elsewhere.example", .accessControlRequestMethod: "POST"])
            _ = try ServerTests.expectProblem(other, .forbidden, "cors-origin")
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let portal = try await client.execute(
                uri: "/v1/speech", method: .options,
                headers: [.origin: "https://portal.example", .accessControlRequestMethod: "POST"])
            #expect(portal.status == .forbidden, "the API key must never be in a browser")
            let get = try await client.execute(
                uri: "/widget/qari.js", method: .get, headers: [.origin: "https://portal.example"])
            #expect(get.headers[.accessControlAllowOrigin] == "https://portal.example")
            #expect(get.headers[.vary] == "Origin")
            let notListed = try await client.execute(
                uri: "/widget/qari.js", method: .get, headers: [.origin: "https://elsewhere.example"])
            #expect(notListed.status == .ok)
            #expect(notListed.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func everyAnswerCarriesItsRequestID() async throws {
        try await ServerTests.withApp(Self.configuration()) { client in
            let given = try await client.execute(
                uri: "/health", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "portal-42.a_b"])
            #expect(given.headers[HTTPField.Name("X-Request-Id")!] == "portal-42.a_b")
            let injected = try await client.execute(
                uri: "/health", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "a b<script>"])
            let made = injected.headers[HTTPField.Name("X-Request-Id")!] ?? ""
            #expect(made.count == 16 && made.allSatisfy(\.isHexDigit))
            let problem = try await client.execute(uri: "/v1/speech", method: .post, body: Self.speech)
            #expect(problem.headers[HTTPField.Name("X-Request-Id")!]?.count == 16)
        }
    }

    @Test func metricsCountRequestsPoolsAndTheCache() async throws {
        try await ServerTests.withApp(Self.configuration()) { client in
            let created = try await client.execute(
                uri: "/v1/readings", method: .post, headers: [.contentType: "text/html"], body: Self.page)
            let reading = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any] ?? [:]
            let audio = ((reading["audio"] as? [String: Any])?["ogg"] as? String) ?? ""
            #expect(try await client.execute(uri: audio, method: .get).status == .ok)
            _ = try await client.execute(uri: "/v1/speech", method: .post, body: Self.speech)
            // A request is counted once its body is written, a moment after the client has it all.
            var text = ""
            for _ in 0..<20 where !text.contains(#"route="/v1/readings/{id}/{file}""#) {
                try await Task.sleep(for: .milliseconds(50))
                let metrics = try await client.execute(uri: "/metrics", method: .get)
                #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                text = String(buffer: metrics.body)
            }
            for line in [
                #"qari_http_requests_total{route="/v1/readings",method="POST",status="200"} 1"#,
                #"qari_http_requests_total{route="/v1/speech",method="POST",status="401"} 1"#,
                #"qari_refused_total{rule="key"} 1"#,
                #"qari_syntheses_total 1"#,
                #"qari_pool_up{pool="speech"} 1.0"#,
                #"qari_pool_workers{pool="speech"} 2.0"#,
                #"qari_readings_in_flight 0.0"#,
                #"qari_speeches_in_flight 0.0"#,
                #"qari_speeches_limit 18.0"#,  // 2 workers and a queue of 16
            ] {
                #expect(text.contains(line), "no \(line) in /metrics")
            }
            for name in [
                "qari_http_request_duration_seconds_bucket", "qari_pool_queue_depth", "qari_pool_busy_workers",
                "qari_pool_restarts_total", "qari_pool_crashes_total", "qari_pool_timeouts_total",
                "qari_cache_misses_total", "qari_cache_bytes", "qari_cache_evictions_total",
            ] {
                #expect(text.contains(name), "no \(name) in /metrics")
            }
            // The audio's time is counted once its body is written; routes are templates, not ids.
            #expect(
                text.contains(
                    #"qari_http_request_duration_seconds_count{route="/v1/readings/{id}/{file}",method="GET"} 1"#))
            #expect(!text.contains(String(audio.split(separator: "/")[2])), "an id in a label makes labels unbounded")
        }
    }

    @Test func theContractNamesEveryRouteAndMethodsAreAnsweredAsHTTPSays() async throws {
        try await ServerTests.withApp(Self.configuration()) { client in
            let answer = try await client.execute(uri: "/openapi.json", method: .get)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any] ?? [:]
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = Set(((doc["paths"] as? [String: Any]) ?? [:]).keys)
            // The served document is the one the route table is checked against (RouteTableTests).
            #expect(paths == Set(Route.allCases.map(\.rawValue)))
            // A method the route does not take: 405 with what it takes.
            let put = try await client.execute(uri: "/v1/readings", method: .put)
            _ = try ServerTests.expectProblem(put, .methodNotAllowed, "method-not-allowed")
            #expect(put.headers[.allow] == "POST")
            // HEAD wherever GET is: the same headers, no body.
            let get = try await client.execute(uri: "/widget/qari.js", method: .get)
            let head = try await client.execute(uri: "/widget/qari.js", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            #expect(head.headers[.eTag] == get.headers[.eTag] && head.headers[.eTag] != nil)
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
        }
    }
}
