import Foundation
import Hummingbird
import QariPage
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
        let stream = try await start(plan)
        return audioResponse(
            stream, format: format, sampleRate: await speaker.pool.sampleRate, headers: warningHeaders(plan.text))
    }

    func plan(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (plan, _) = try await parse(request, needsFormat: false)
        let (marks, samples) = try await collectMarks(try await start(plan))
        let rate = await speaker.pool.sampleRate
        return try jsonResponse(plan.document(marks: marks, durationMs: samples * 1000 / rate))
    }

    private func start(_ plan: PagePlan) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        do {
            return try await speaker.speak(text: plan.text, runs: plan.runs, options: SynthesisOptions())
        } catch {
            throw problem(for: error)
        }
    }

    /// The page from the body (HTML, or JSON with `html`), read into a plan, and the audio format asked for.
    func parse(_ request: Request, needsFormat: Bool) async throws -> (PagePlan, AudioFormat) {
        let limit = configuration.page.maxBytes
        let buffer: ByteBuffer
        do {
            // JSON escaping can double a page's size.
            buffer = try await request.body.collect(upTo: limit * 2 + 4096)
        } catch {
            throw Problem(
                .contentTooLarge, code: "page-too-large", title: "Page too large",
                detail: "the request body is larger than \(limit * 2 + 4096) bytes; pages may be \(limit) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        let contentType = (request.headers[.contentType] ?? "text/html").lowercased()
        var pageBytes = bytes
        var charset: String?
        var body = ReadBody()
        if contentType.hasPrefix("application/json") {
            do {
                body = try JSONDecoder().decode(ReadBody.self, from: Data(bytes))
            } catch {
                throw Problem(
                    .badRequest, code: "invalid-json", title: "Body is not valid JSON",
                    detail: "the request body must be a JSON object {\"html\", \"format\"?, \"voice_overrides\"?}: "
                        + describe(error))
            }
            guard let html = body.html else {
                throw Problem(.badRequest, code: "empty-page", title: "No page", detail: "\"html\" is missing")
            }
            pageBytes = Array(html.utf8)
        } else if contentType.hasPrefix("text/html") || contentType.hasPrefix("application/xhtml+xml") {
            charset = Self.charset(contentType)
        } else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", title: "Not a page",
                detail: "send the page as text/html, or as application/json {\"html\"}; got \(contentType)")
        }
        guard !pageBytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw Problem(.badRequest, code: "empty-page", title: "No page", detail: "the page is empty")
        }
        let content = try await pages.read(bytes: pageBytes, charset: charset)
        let plan: PagePlan
        do {
            plan = try PagePlan(content: content, overrides: body.voiceOverrides ?? [:])
        } catch .nothingToRead {
            throw Problem(
                .unprocessableContent, code: "nothing-to-read", title: "Nothing to read",
                detail: "the page has no main content to read (all of it is navigation, controls or hidden)")
        } catch {
            throw Problem(
                .notFound, code: "unknown-voice", title: "Unknown voice", detail: error.description,
                extensions: ["voices": VoiceCatalog.ids])
        }
        let format = try chooseAudioFormat(
            name: body.format, accept: request.headers[.accept], needsFormat: needsFormat)
        return (plan, format)
    }

    /// The `charset` parameter of a Content-Type.
    static func charset(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0] == "charset" {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
        }
        return nil
    }

    static func pageProblem(_ error: PageError) -> Problem {
        switch error {
        case .tooLarge:
            Problem(.contentTooLarge, code: "page-too-large", title: "Page too large", detail: error.description)
        case .undecodable(.unsupported):
            Problem(
                .unsupportedMediaType, code: "unsupported-charset", title: "Unsupported charset",
                detail: error.description)
        case .undecodable:
            Problem(.badRequest, code: "invalid-encoding", title: "Page not decodable", detail: error.description)
        case .timeLimit, .tooDeep:
            Problem(
                .unprocessableContent, code: "page-too-complex", title: "Page too complex", detail: error.description)
        }
    }
}
