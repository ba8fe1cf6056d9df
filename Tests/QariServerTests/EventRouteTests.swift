import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QariTestSupport
import Testing

@testable import QariServer

/// The reader button's events: counted by name in /metrics, nothing else taken; an unknown name or a body that is
/// not one is a problem.
@Suite struct EventRouteTests {
    @Test func aHighlightFallbackIsCountedAndAnUnknownEventRefused() async throws {
        try await ServerTests.withApp { client in
            let json: HTTPFields = [.contentType: "application/json"]
            for _ in 0..<2 {
                let r = try await client.execute(
                    uri: "/v1/events", method: .post, headers: json,
                    body: ServerTests.json(["event": "highlight-fallback"]))
                #expect(r.status == .noContent)
            }
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("qari_widget_events_total{event=\"highlight-fallback\"} 2"), "\(metrics)")
            let unknown = try await client.execute(
                uri: "/v1/events", method: .post, headers: json, body: ServerTests.json(["event": "Bonjour Yasmina"]))
            _ = try ServerTests.expectProblem(unknown, .badRequest, "unknown-event")
            let broken = try await client.execute(
                uri: "/v1/events", method: .post, headers: json, body: ByteBuffer(string: "{\"event\":"))
            #expect(broken.status == .badRequest)
            let large = try await client.execute(
                uri: "/v1/events", method: .post, headers: json,
                body: ServerTests.json(["event": String(repeating: "x", count: 4096)]))
            _ = try ServerTests.expectProblem(large, .contentTooLarge, "too-large")
            let after = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(!after.contains("Yasmina") && !after.contains("xxxx"), "a name sent was kept")
        }
    }

    /// The time from a press of Listen to the first sound is timed by whether the reading was made before; a time
    /// that is missing or not one is refused.
    @Test func theFirstAudioTimeIsAHistogram() async throws {
        try await ServerTests.withApp { client in
            let json: HTTPFields = [.contentType: "application/json"]
            for (ms, cached) in [(180, true), (420, false), (3100, false)] {
                let r = try await client.execute(
                    uri: "/v1/events", method: .post, headers: json,
                    body: ByteBuffer(string: #"{"event": "first-audio", "ms": \#(ms), "cached": \#(cached)}"#))
                #expect(r.status == .noContent)
            }
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"qari_widget_first_audio_seconds_count{cached="no"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"qari_widget_first_audio_seconds_count{cached="yes"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"qari_widget_first_audio_seconds_bucket{cached="no",le="0.5"} 1"#), "\(metrics)")
            for body in [
                #"{"event": "first-audio", "ms": 10, "cached": null}"#, #"{"event": "first-audio", "ms": null}"#,
            ] {
                let bad = try await client.execute(
                    uri: "/v1/events", method: .post, headers: json, body: ByteBuffer(string: body))
                #expect(bad.status == .badRequest, "\(body)")
            }
            for body in [#"{"event": "first-audio"}"#, #"{"event": "first-audio", "ms": -4}"#] {
                let bad = try await client.execute(
                    uri: "/v1/events", method: .post, headers: json, body: ByteBuffer(string: body))
                _ = try ServerTests.expectProblem(bad, .badRequest, "bad-event")
            }
        }
    }

    /// The API document lists exactly the events the daemon counts.
    @Test func theAPIDocumentNamesEveryEvent() throws {
        let url = Support.repoDir.appendingPathComponent("openapi.json")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let schema = ((document?["components"] as? [String: Any])?["schemas"] as? [String: Any])?["EventRequest"]
        let listed = (((schema as? [String: Any])?["properties"] as? [String: Any])?["event"] as? [String: Any])?[
            "enum"]
        #expect(listed as? [String] == WidgetEvent.allCases.map(\.rawValue))
    }
}
