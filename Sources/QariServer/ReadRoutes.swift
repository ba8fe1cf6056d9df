import Foundation
import Hummingbird
import QariReading
import QariSpeech

/// The JSON body of `/v1/read` and `/v1/read/plan` (the page may also come as the `text/html` body itself).
struct ReadBody: Decodable {
    var html: String?
    var format: String?
    /// Language → voice id (`{"zgh": "shi"}`).
    var voiceOverrides: [String: String]?

    enum CodingKeys: String, CodingKey {
        case html, format
        case voiceOverrides = "voice_overrides"
    }
}

/// `POST /v1/read` (the page's audio) and `POST /v1/read/plan` (its passages, locators and marks).
struct ReadRoutes: Sendable {
    let speaker: Speaker
    let pages: PageService
    let configuration: ServerConfiguration

    func add(to router: Router<BasicRequestContext>) {
        router.post("v1/read") { request, context in try await read(request, context) }
        router.post("v1/read/plan") { request, context in try await plan(request, context) }
    }

    func read(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (plan, format) = try await parse(request, needsFormat: true)
        let stream = try await speaker.speak(passages: plan.passages, options: SynthesisOptions())
        return audioResponse(
            stream, format: format, sampleRate: await speaker.pool.sampleRate, headers: warningHeaders(plan.text))
    }

    func plan(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (plan, _) = try await parse(request, needsFormat: false)
        let (marks, samples) = try await collectMarks(
            try await speaker.speak(passages: plan.passages, options: SynthesisOptions()))
        let rate = await speaker.pool.sampleRate
        return try jsonResponse(plan.document(marks: marks, durationMs: samples * 1000 / rate))
    }

    /// The page from the body (HTML, or JSON with `html`), read into a plan, and the audio format asked for.
    func parse(_ request: Request, needsFormat: Bool) async throws -> (PagePlan, AudioFormat) {
        let limit = configuration.page.maxBytes
        let buffer: ByteBuffer
        do {
            // JSON escaping can double a page's size.
            buffer = try await request.body.collect(upTo: limit * 2 + 4096)
        } catch {
            throw Problem.pageTooLarge(limit: limit, bodyLimit: limit * 2 + 4096)
        }
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
        } else if isHTML(contentType) {
            pageCharset = charset(contentType)
        } else {
            throw Problem.notAPage(contentType, json: true)
        }
        guard !pageBytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw Problem(.badRequest, code: "empty-page", title: "No page", detail: "the page is empty")
        }
        let content = try await pages.read(bytes: pageBytes, charset: pageCharset)
        let plan = try PagePlan(content: content, overrides: body.voiceOverrides ?? [:])
        let format = try chooseAudioFormat(
            name: body.format, accept: request.headers[.accept], needsFormat: needsFormat)
        return (plan, format)
    }
}
