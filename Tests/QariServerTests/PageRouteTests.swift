import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import QariReading
import QariServer
import QariSpeech
import QariTestSupport
import QariWorkers
import Testing

/// Pages through the routes: read passage by passage with marks into them, bad pages refused precisely, and the
/// display transforms.
extension ServerTests {
    static func words(ofMark m: [String: Any], in passages: [[String: Any]]) -> String {
        let passage = passages[m["passage"] as? Int ?? 0]
        let text: [Unicode.Scalar] = Array((passage["text"] as? String ?? "").unicodeScalars)
        let offset = m["offset"] as? Int ?? 0
        let length = m["length"] as? Int ?? 0
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text[offset..<(offset + length)])
        return Support.words(String(view)).first ?? ""
    }

    static func checkPagePlan(_ client: any TestClientProtocol) async throws {
        let plan = try await client.execute(
            uri: "/v1/read/plan", method: .post, headers: [.contentType: "text/html; charset=utf-8"],
            body: ByteBuffer(string: Self.page))
        #expect(plan.status == .ok)
        let doc = try JSONSerialization.jsonObject(with: Data(buffer: plan.body)) as? [String: Any] ?? [:]
        let passages: [[String: Any]] = doc["passages"] as? [[String: Any]] ?? []
        let texts: [String] = passages.map { $0["text"] as? String ?? "" }
        let expectedTexts: [String] = [
            "طلب نسخة من رسم الولادة", "يمكنكم طلب النسخة عبر البوابة", "en ligne", "مجانا.", "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ",
        ]
        #expect(texts == expectedTexts)
        let voices: [String] = passages.map { $0["voice"] as? String ?? "" }
        #expect(voices == ["ar", "ar", "fr", "ar", "zgh"])
        let located = passages.allSatisfy { ($0["locator"] as? [Any])?.isEmpty == false }
        #expect(located)
        // Every word mark points at a word of its passage, in time order.
        let all: [[String: Any]] = doc["marks"] as? [[String: Any]] ?? []
        let marks = all.filter { $0["type"] as? String == "word" }
        let spoken: [String] = marks.map { Self.words(ofMark: $0, in: passages) }
        let allWords: [String] = texts.flatMap { Support.words($0) }
        #expect(spoken == allWords)
        let times: [Int] = marks.map { $0["time_ms"] as? Int ?? -1 }
        #expect(times == times.sorted())
        let hasSentences = all.contains { $0["type"] as? String == "sentence" }
        #expect(hasSentences)
        let durationMs = doc["duration_ms"] as? Int ?? 0
        // The audio is the same timeline.
        let body: [String: Any] = ["html": Self.page, "format": "wav", "voice_overrides": ["zgh": "shi"]]
        let audio = try await client.execute(
            uri: "/v1/read", method: .post, headers: [.contentType: "application/json"], body: Self.json(body))
        #expect(audio.status == .ok)
        #expect(audio.headers[.contentType] == "audio/wav")
        let seconds = try Self.decodedSeconds(audio.body, ext: "wav")
        #expect(abs(seconds * 1000 - Double(durationMs)) < 400, "\(seconds) s vs plan \(durationMs) ms")
    }

    @Test func aPageIsReadPassageByPassageWithMarksIntoIt() async throws {
        try await Self.withApp { client in try await Self.checkPagePlan(client) }
    }

    static func postPage(
        _ client: any TestClientProtocol, _ body: [UInt8], _ type: String = "text/html"
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/read/plan", method: .post, headers: [.contentType: type], body: ByteBuffer(bytes: body))
    }

    static let badPages: [(body: [UInt8], type: String, status: HTTPResponse.Status, code: String)] = [
        (Array(repeating: 0x61, count: 300_000), "text/html", .contentTooLarge, "page-too-large"),
        (Array("<p>caf".utf8) + [0xC3, 0x28], "text/html; charset=utf-8", .badRequest, "invalid-encoding"),
        (Array("<p>x</p>".utf8), "text/html; charset=x-qq", .unsupportedMediaType, "unsupported-charset"),
        (Array("<p>x</p>".utf8), "text/plain", .unsupportedMediaType, "unsupported-media-type"),
        (
            Array("<html><body><nav><a href=/>x</a></nav></body></html>".utf8), "text/html", .unprocessableContent,
            "nothing-to-read"
        ),
        (Array(String(repeating: "<div>", count: 5000).utf8), "text/html", .unprocessableContent, "page-too-complex"),
        (Array("{\"html\": 3}".utf8), "application/json", .badRequest, "invalid-json"),
        (
            Array("{\"html\": \"<p lang=fr>Bonjour</p>\", \"voice_overrides\": {\"fr\": \"xx\"}}".utf8),
            "application/json",
            .notFound, "unknown-voice"
        ),
    ]

    @Test func badPagesGetPreciseProblems() async throws {
        var configuration = Self.configuration()
        configuration.page.maxBytes = 100_000
        try await Self.withApp(configuration) { client in
            for bad in Self.badPages {
                let response = try await Self.postPage(client, bad.body, bad.type)
                _ = try Self.expectProblem(response, bad.status, bad.code)
            }
            // The daemon is still there.
            let fine = try await Self.postPage(client, Array("<main lang=fr><p>Bonjour</p></main>".utf8))
            #expect(fine.status == .ok)
        }
    }

    @Test func pagesAreTransformedAndBadModesRefused() async throws {
        try await Self.withApp { client in
            let page = "<html lang=\"fr\"><body><p style=\"color:#aaa\">Texte <a href=\"/x\">lien</a></p></body></html>"
            let response = try await client.execute(
                uri: "/v1/transform?mode=contrast:light,large:150", method: .post, headers: [.contentType: "text/html"],
                body: ByteBuffer(string: page))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            #expect(html.contains("<style id=\"qari-display\">") && html.contains("font-size: 150%"))
            #expect(html.contains("<a href=\"/x\">lien</a>") && !html.contains("#aaa"))
            let bad = try await client.execute(
                uri: "/v1/transform?mode=contrast:neon", method: .post, headers: [.contentType: "text/html"],
                body: ByteBuffer(string: page))
            let problem = try Self.expectProblem(bad, .badRequest, "unknown-mode")
            // The request's own words are not echoed beyond the mode name it got wrong.
            #expect((problem["detail"] as? String)?.contains("contrast:neon") == true)
            let css = try await client.execute(uri: "/v1/transform.css?mode=contrast", method: .get)
            #expect(css.status == .ok && String(buffer: css.body).contains("#ffff00"))
            let deep = try await client.execute(
                uri: "/v1/transform?mode=large", method: .post, headers: [.contentType: "text/html"],
                body: ByteBuffer(string: String(repeating: "<div>", count: 5000)))
            _ = try Self.expectProblem(deep, .unprocessableContent, "page-too-complex")
        }
    }
}
