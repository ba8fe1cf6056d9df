import Foundation
import Hummingbird
import QariAudio
import QariSpeech
import QariText

/// The JSON body of `/v1/speech` and `/v1/speech/marks`.
struct SpeechBody: Decodable {
    var text: String?
    var voice: String?
    var format: String?
    var rate: Int?
    var pitch: Int?
    var volume: Int?
    /// The text is SSML (eSpeak's subset).
    var ssml: Bool?
    /// False: the whole audio at once, with its length (a WAV's header then says its true length).
    var stream: Bool?
}

/// The answer of `/v1/speech/marks`.
struct MarksResponse: ResponseEncodable {
    var durationMs: Int
    var marks: [Mark]
    /// What the listener should know about how the text was read (Tifinagh letters read by a stand-in).
    var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case durationMs = "duration_ms"
        case marks, warnings
    }
}

/// `POST /v1/speech` (audio), `POST /v1/speech/marks` (its timeline) and `GET /v1/voices`.
struct SpeechRoutes: Sendable {
    let speaker: Speaker
    let configuration: ServerConfiguration

    func add(to groups: RouteGroups) {
        groups.on(.speech) { request, context in try await speech(request, context) }
        groups.on(.speechMarks) { request, context in try await marks(request, context) }
        groups.on(.voices) { _, _ in try jsonResponse(VoiceCatalog.all) }
    }

    /// Validates the body into a request and the audio format it asks for.
    func parse(_ request: Request, _ context: QariContext, needsFormat: Bool) async throws -> (
        SpeechRequest, AudioFormat, streamed: Bool
    ) {
        // JSON; also taken without a type or as curl's default form type, so `curl -d '{…}'` works.
        let type = (request.headers[.contentType] ?? "application/json").lowercased()
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard media == "application/json" || media.hasSuffix("+json") || media == "application/x-www-form-urlencoded"
        else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", title: "Not JSON",
                detail: "the body must be JSON (Content-Type: application/json), not \(media)")
        }
        let buffer = try await collectBody(
            request, upTo: configuration.maxBodyBytes,
            tooLarge: Problem(
                .contentTooLarge, code: "text-too-long", title: "Body too large",
                detail:
                    "the body is over \(configuration.maxBodyBytes) bytes; text may have \(configuration.maxTextLength) characters"
            ))
        let bytes = Array(buffer.readableBytesView)
        if let bad = firstInvalidUTF8(bytes) {
            throw Problem(
                .badRequest, code: "invalid-utf8", title: "Body is not UTF-8",
                detail: "the request body is not valid UTF-8 (first bad byte at offset \(bad))")
        }
        let body: SpeechBody
        do {
            body = try JSONDecoder().decode(SpeechBody.self, from: Data(bytes))
        } catch {
            throw Problem.invalidJSON(error, expected: "{\"text\", \"voice\", …}")
        }
        guard let text = body.text, !text.allSatisfy(\.isWhitespace) else {
            throw Problem(
                .badRequest, code: "empty-text", title: "Nothing to say", detail: "\"text\" is missing or empty")
        }
        let length = text.unicodeScalars.count
        guard length <= configuration.maxTextLength else {
            throw Problem(
                .contentTooLarge, code: "text-too-long", title: "Text too long",
                detail: "\"text\" has \(length) characters; the limit is \(configuration.maxTextLength)")
        }
        guard let name = body.voice, !name.isEmpty else {
            throw Problem(
                .badRequest, code: "missing-voice", title: "No voice",
                detail: "\"voice\" is missing: a voice id or language tag (GET /v1/voices)")
        }
        guard let voice = VoiceCatalog.voice(named: name) else {
            throw Problem.unknownVoice(body.voice ?? "")
        }
        let format = try chooseAudioFormat(
            name: body.format, accept: request.headers[.accept], needsFormat: needsFormat)
        var options = SynthesisOptions()
        var document: SSMLDocument?
        if body.ssml == true {
            options.ssml = true
            document = try SSMLDocument(text)
        }
        if let rate = body.rate {
            try check("rate", rate, SynthesisOptions.rateRange)
            options.rate = rate
        }
        if let pitch = body.pitch {
            try check("pitch", pitch, SynthesisOptions.pitchRange)
            options.pitch = pitch
        }
        if let volume = body.volume {
            try check("volume", volume, SynthesisOptions.volumeRange)
            options.volume = volume
        }
        return (SpeechRequest(text: text, voice: voice, options: options, ssml: document), format, body.stream ?? true)
    }

    func speech(_ request: Request, _ context: QariContext) async throws -> Response {
        let (speechRequest, format, streamed) = try await parse(request, context, needsFormat: true)
        let stream = try await speaker.speak(speechRequest)
        let rate = await speaker.sampleRate
        let headers = warningHeaders(speechRequest.text)
        guard streamed else {
            return try await wholeAudioResponse(stream, format: format, sampleRate: rate, headers: headers)
        }
        return audioResponse(stream, format: format, sampleRate: rate, headers: headers)
    }

    func marks(_ request: Request, _ context: QariContext) async throws -> Response {
        let (speechRequest, _, _) = try await parse(request, context, needsFormat: false)
        let (marks, samples) = try await collectMarks(try await speaker.speak(speechRequest))
        let rate = await speaker.sampleRate
        return try jsonResponse(
            MarksResponse(
                durationMs: samples * 1000 / rate, marks: marks, warnings: Speaker.warnings(for: speechRequest.text)))
    }

    private func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw Problem(
                .badRequest, code: "out-of-range", title: "Value out of range",
                detail: "\"\(name)\" is \(value); it must be from \(range.lowerBound) to \(range.upperBound)")
        }
    }
}
