import Foundation
import Hummingbird

/// What the reader button tells operators of its work on a page: named events, counted, with no page text.
enum WidgetEvent: String, CaseIterable, Sendable {
    /// Marks came and the audio advanced, but no word could be placed in the page for 2 s: the widget highlighted
    /// the whole passage instead.
    case highlightFallback = "highlight-fallback"
}

/// `POST /v1/events`: `{"event": NAME}` from the widget, counted in `qari_widget_events_total{event}`.
struct EventRoutes: Sendable {
    let metrics: QariMetrics?

    struct Body: Decodable {
        var event: String
    }

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
            throw Problem.invalidJSON(error, expected: #"{"event": NAME}"#)
        }
        guard let event = WidgetEvent(rawValue: body.event) else {
            let known = WidgetEvent.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(
                .badRequest, code: "unknown-event", title: "Unknown event",
                detail: "\"event\" is one of: \(known)")
        }
        metrics?.widgetEvent(event.rawValue)
        return Response(status: .noContent)
    }
}
