import Foundation
import Hummingbird
import QariAudio
import QariReading
import QariSpeech

/// `POST /v1/read` (the page's audio) and `POST /v1/read/plan` (its passages, locators and marks), built on
/// readings: the same page asked for by both is synthesized once (Ogg and MP3; WAV is spoken for the request).
struct ReadRoutes: Sendable {
    let readings: Readings
    let configuration: ServerConfiguration

    var speaker: Speaker { readings.speaker }

    func add(to groups: RouteGroups) {
        groups.on(.read) { request, context in try await read(request, context) }
        groups.on(.readPlan) { request, context in try await plan(request, context) }
    }

    func read(_ request: Request, _ context: QariContext) async throws -> Response {
        let (page, body) = try await pageInput(request, configuration: configuration)
        let plan = try await readings.plan(page)
        let format = try chooseAudioFormat(name: body.format, accept: request.headers[.accept], needsFormat: true)
        guard let shared = ReadingFormat(rawValue: format.rawValue) else {
            let stream = try await speaker.speak(passages: plan.passages, options: SynthesisOptions())
            return audioResponse(
                stream, format: format, sampleRate: await speaker.sampleRate, headers: warningHeaders(plan.text))
        }
        let (reading, _) = await readings.create(plan, isPrivate: page.isPrivate)
        var headers = warningHeaders(plan.text)
        headers[.init("Qari-Reading")!] = reading.id
        return keptPrivate(
            try await readingAudio(readings, reading, shared, request: request, context: context, extra: headers),
            reading)
    }

    func plan(_ request: Request, _ context: QariContext) async throws -> Response {
        let (page, _) = try await pageInput(request, configuration: configuration)
        let (reading, _) = try await readings.read(page)
        let marks = try await readings.completeMarks(reading)
        return try jsonResponse(
            reading.plan.document(pageMarks: marks.marks, durationMs: marks.durationMs),
            headers: privacyHeaders(reading))
    }
}

/// The JSON body of a page request (the page may also come as the `text/html` body itself).
struct ReadBody: Decodable {
    var html: String?
    var format: String?
    /// Language → voice id (`{"zgh": "shi"}`).
    var voiceOverrides: [String: String]?
    /// The page's address, matched against `private.pages`; used for nothing else, kept nowhere.
    var url: String?

    enum CodingKeys: String, CodingKey {
        case html, format, url
        case voiceOverrides = "voice_overrides"
    }
}

/// The page from the body (HTML, or JSON with `html`), and the JSON body's other members.
func pageInput(_ request: Request, configuration: ServerConfiguration) async throws -> (PageInput, ReadBody) {
    let limit = configuration.page.maxBytes
    // JSON escaping can double a page's size.
    let buffer = try await collectBody(
        request, upTo: limit * 2 + 4096, tooLarge: Problem.pageTooLarge(limit: limit, bodyLimit: limit * 2 + 4096))
    let bytes = Array(buffer.readableBytesView)
    let contentType = (request.headers[.contentType] ?? "text/html").lowercased()
    var pageBytes = bytes
    var pageCharset: String?
    var body = ReadBody()
    if contentType.hasPrefix("application/json") {
        do {
            body = try JSONDecoder().decode(ReadBody.self, from: Data(bytes))
        } catch {
            throw Problem.invalidJSON(error, expected: "{\"html\", \"format\"?, \"voice_overrides\"?}")
        }
        guard let html = body.html else {
            throw Problem(.badRequest, code: "empty-page", title: "No page", detail: "\"html\" is missing")
        }
        pageBytes = Array(html.utf8)
        // Refused whichever route reads it, so a mistake is never silently ignored.
        _ = try chooseAudioFormat(name: body.format, accept: nil, needsFormat: false)
    } else if isHTML(contentType) {
        pageCharset = charset(contentType)
    } else {
        throw Problem.notAPage(contentType, json: true)
    }
    guard !pageBytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
        throw Problem(.badRequest, code: "empty-page", title: "No page", detail: "the page is empty")
    }
    let asked = request.headers[.qariPrivacy].map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    guard asked == nil || asked == "private" || asked == "public" else {
        throw Problem(
            .badRequest, code: "bad-privacy", title: "Unknown privacy",
            detail: "Qari-Privacy is private (or public, the default), not \"\(asked ?? "")\"")
    }
    let isPrivate = asked == "private" || body.url.map(configuration.privacy.isPrivate(address:)) == true
    return (
        PageInput(
            bytes: pageBytes, charset: pageCharset, overrides: body.voiceOverrides ?? [:], isPrivate: isPrivate,
            background: request.headers.asksBackground),
        body
    )
}
