import Foundation
import Hummingbird
import QariReading

/// `POST /v1/reports` (a listener reports a mispronounced word, from the widget) and `GET /v1/reports` (operators).
struct ReportRoutes: Sendable {
    let readings: Readings
    let metrics: QariMetrics?

    /// What a listener sends: where the word is in the reading, and a note.
    struct Body: Decodable {
        var reading: String
        var passage: Int
        var start: Int
        var end: Int
        var note: String?
    }

    /// What the listener gets back, and what operators list.
    struct Taken: Encodable {
        var id: Int64?
        var word: String
        var voice: String
        var phonemes: String
    }

    struct Listing: Encodable {
        var reports: [Report]
    }

    func add(to groups: RouteGroups) {
        groups.on(.reports) { request, context in
            request.method == .post ? try await take(request) : try await list(request)
        }
    }

    private func take(_ request: Request) async throws -> Response {
        let buffer = try await collectBody(
            request, upTo: 16 * 1024,
            tooLarge: Problem(
                .contentTooLarge, code: "too-large", title: "Report too large",
                detail: "a report is a small JSON object (at most 16 KiB)"))
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem.invalidJSON(
                error, expected: #"{"reading": ID, "passage": INDEX, "start": CP, "end": CP, "note"?: TEXT}"#)
        }
        let report = try await readings.report(
            reading: body.reading, passage: body.passage, start: body.start, end: body.end, note: body.note ?? "")
        metrics?.reportTaken()
        var response = try jsonResponse(
            Taken(id: report.id, word: report.word, voice: report.voice, phonemes: report.phonemes),
            status: .created)
        if let id = report.id { response.headers[.location] = "/v1/reports?id=\(id)" }
        return response
    }

    private func list(_ request: Request) async throws -> Response {
        guard let store = readings.reports else { return try jsonResponse(Listing(reports: [])) }
        let query = request.uri.queryParameters
        let voice = query.get("voice")
        var limit = 100
        if let given = query.get("limit") {
            guard let n = Int(given), (1...1000).contains(n) else {
                throw Problem(
                    .badRequest, code: "bad-limit", title: "Bad limit", detail: "limit must be from 1 to 1000")
            }
            limit = n
        }
        return try jsonResponse(Listing(reports: try store.recent(voice: voice, limit: limit)))
    }
}
