import Foundation
import Hummingbird

/// What the reader button tells operators of its work on a page: named events, counted, with no page text.
enum WidgetEvent: String, CaseIterable, Sendable {
    /// Marks came and the audio advanced, but no word could be placed in the page for 2 s: the widget highlighted
    /// the whole passage instead.
    case highlightFallback = "highlight-fallback"
    /// The first sound of a page's reading played: `ms` from the press of Listen, `cached` when the reading was
    /// made before. Timed in `qari_widget_first_audio_seconds{cached}`.
    case firstAudio = "first-audio"
}

/// `POST /v1/events`: `{"event": NAME}` (with `ms` and `cached` for `first-audio`) from the widget, counted in
/// `qari_widget_events_total{event}`.
struct EventRoutes: Sendable {
    let metrics: QariMetrics?

    struct Body: Decodable {
        var event: String
        var ms: Int?
        var cached: Bool?

        enum CodingKeys: String, CodingKey { case event, ms, cached }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            event = try c.decode(String.self, forKey: .event)
            // Given, a field is what the API document says: a number, a boolean, never null.
            ms = c.contains(.ms) ? try c.decode(Int.self, forKey: .ms) : nil
            cached = c.contains(.cached) ? try c.decode(Bool.self, forKey: .cached) : nil
        }
    }

    /// The longest time from a press to the first sound that is taken as one (ten minutes).
    static let longestFirstAudio = 600_000

    func add(to groups: RouteGroups) {
        groups.on(.events) { request, _ in try await take(request) }
    }

    private func take(_ request: Request) async throws -> Response {
        let buffer = try await collectBody(
            request, upTo: 1024,
            tooLarge: Problem(
                .contentTooLarge, code: "too-large", title: "Event too large",
                detail: "an event is a small JSON object (at most 1 KiB)"))
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem.invalidJSON(error, expected: #"{"event": NAME, "ms"?, "cached"?}"#)
        }
        guard let event = WidgetEvent(rawValue: body.event) else {
            let known = WidgetEvent.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(
                .badRequest, code: "unknown-event", title: "Unknown event",
                detail: "\"event\" is one of: \(known)")
        }
        if event == .firstAudio {
            guard let ms = body.ms, (0...Self.longestFirstAudio).contains(ms) else {
                throw Problem(
                    .badRequest, code: "bad-event", title: "Bad event",
                    detail: "\"first-audio\" needs \"ms\", 0 to \(Self.longestFirstAudio)")
            }
            metrics?.firstAudio(milliseconds: ms, cached: body.cached ?? false)
        }
        metrics?.widgetEvent(event.rawValue)
        return Response(status: .noContent)
    }
}
