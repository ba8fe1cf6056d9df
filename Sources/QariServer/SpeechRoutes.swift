import Foundation
import Hummingbird
import QariSpeech

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

/// The `Qari-Warning` header values for a text: one per warning, ASCII (code points written as U+XXXX).
func warningHeaders(_ text: String) -> HTTPFields {
    var fields = HTTPFields()
    for warning in Speaker.warnings(for: text) {
        let ascii = warning.unicodeScalars.filter { $0.isASCII }.map(String.init).joined()
        fields.append(
            HTTPFields.Element(name: HTTPFields.Element.Name("Qari-Warning")!, value: ascii.replacing("  ", with: " ")))
    }
    return fields
}

struct SpeechRoutes: Sendable {
    let speaker: Speaker
    let configuration: ServerConfiguration

    func add(to router: Router<BasicRequestContext>) {
        router.post("v1/speech") { request, context in try await speech(request, context) }
        router.post("v1/speech/marks") { request, context in try await marks(request, context) }
        router.get("v1/voices") { _, _ in try jsonResponse(VoiceCatalog.all) }
    }

    /// Validates the body into a request and the audio format it asks for.
    func parse(_ request: Request, _ context: BasicRequestContext, needsFormat: Bool) async throws -> (
        SpeechRequest, AudioFormat
    ) {
        let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
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
            throw Problem(
                .badRequest, code: "invalid-json", title: "Body is not valid JSON",
                detail: "the request body must be a JSON object {\"text\", \"voice\", …}: \(describe(error))")
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
        let voiceName = body.voice ?? ""
        guard let voice = VoiceCatalog.voice(named: voiceName) else {
            throw Problem(
                .notFound, code: "unknown-voice", title: "Unknown voice",
                detail: voiceName.isEmpty
                    ? "\"voice\" is missing; available voices: \(VoiceCatalog.ids.joined(separator: ", "))"
                    : "no voice \"\(voiceName)\"; available voices: \(VoiceCatalog.ids.joined(separator: ", "))",
                extensions: ["voices": VoiceCatalog.ids])
        }
        let format = try chooseAudioFormat(
            name: body.format, accept: request.headers[.accept], needsFormat: needsFormat)
        var options = SynthesisOptions()
        if body.ssml == true {
            options.ssml = true
            do {
                _ = try SSMLDocument(text)
            } catch {
                throw problem(for: error)
            }
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
        return (SpeechRequest(text: text, voice: voice, options: options), format)
    }

    func speech(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (speechRequest, format) = try await parse(request, context, needsFormat: true)
        let stream = try await start(speechRequest)
        return audioResponse(
            stream, format: format, sampleRate: await speaker.pool.sampleRate,
            headers: warningHeaders(speechRequest.text))
    }

    func marks(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (speechRequest, _) = try await parse(request, context, needsFormat: false)
        let (marks, samples) = try await collectMarks(try await start(speechRequest))
        let rate = await speaker.pool.sampleRate
        return try jsonResponse(
            MarksResponse(
                durationMs: samples * 1000 / rate, marks: marks, warnings: Speaker.warnings(for: speechRequest.text)))
    }

    /// Starts synthesis, turning refusals and failures before the first audio into problems.
    private func start(_ request: SpeechRequest) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        do {
            return try await speaker.speak(request)
        } catch {
            throw problem(for: error)
        }
    }

    private func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw Problem(
                .badRequest, code: "out-of-range", title: "Value out of range",
                detail: "\"\(name)\" is \(value); it must be from \(range.lowerBound) to \(range.upperBound)")
        }
    }
}

/// The audio format a request asks for: its `format`, else (for audio answers) its `Accept` header, else WAV.
func chooseAudioFormat(name: String?, accept: String?, needsFormat: Bool) throws -> AudioFormat {
    if let name {
        guard let f = AudioFormat(name: name) else {
            throw Problem(
                .unsupportedMediaType, code: "unknown-format", title: "Unknown audio format",
                detail: "no audio format \"\(name)\"; available: wav, ogg, mp3",
                extensions: ["formats": AudioFormat.allCases.map(\.rawValue)])
        }
        return f
    }
    guard needsFormat else { return .wav }
    guard let f = AudioFormat.negotiate(accept: accept) else {
        throw Problem(
            .notAcceptable, code: "not-acceptable", title: "No acceptable audio format",
            detail: "Accept \"\(accept ?? "")\" names none of audio/wav, audio/ogg, audio/mpeg",
            extensions: ["formats": AudioFormat.allCases.map(\.mimeType)])
    }
    return f
}

/// A streamed audio answer: each chunk encoded as it arrives.
func audioResponse(
    _ stream: AsyncThrowingStream<SpeechEvent, any Error>, format: AudioFormat, sampleRate: Int,
    headers extra: HTTPFields
) -> Response {
    let body = ResponseBody { writer in
        var encoder = try format.makeEncoder(sampleRate: sampleRate)
        for try await event in stream {
            if case .audio(let samples) = event {
                let bytes = try encoder.encode(samples)
                if !bytes.isEmpty { try await writer.write(ByteBuffer(bytes: bytes)) }
            }
        }
        let tail = try encoder.finish()
        if !tail.isEmpty { try await writer.write(ByteBuffer(bytes: tail)) }
        try await writer.finish(nil)
    }
    var headers: HTTPFields = [.contentType: format.mimeType, .cacheControl: "no-store"]
    headers.append(contentsOf: extra)
    return Response(status: .ok, headers: headers, body: body)
}

/// Every mark of a speech stream and its length in samples; a failure becomes a problem.
func collectMarks(_ stream: AsyncThrowingStream<SpeechEvent, any Error>) async throws -> ([Mark], Int) {
    var marks: [Mark] = []
    var samples = 0
    do {
        for try await event in stream {
            switch event {
            case .marks(let m): marks += m
            case .end(let n): samples = n
            case .audio: break
            }
        }
    } catch {
        throw problem(for: error)
    }
    return (marks, samples)
}

/// The problem for a speech failure.
func problem(for error: any Error) -> Problem {
    if let problem = error as? Problem { return problem }
    if let ssml = error as? SSMLError {
        return Problem(
            .badRequest, code: "invalid-ssml", title: "Malformed SSML", detail: "\"text\" is not valid SSML: \(ssml)",
            extensions: ["line": ["\(ssml.line)"], "column": ["\(ssml.column)"]])
    }
    guard let speech = error as? SpeechError else {
        return Problem(.internalServerError, code: "internal", title: "Internal error", detail: "\(error)")
    }
    switch speech {
    case .busy:
        return Problem(
            .serviceUnavailable, code: "busy", title: "Busy", detail: speech.description,
            headers: [.retryAfter: "1"])
    case .workerCrashed:
        return Problem(
            .serviceUnavailable, code: "worker-crashed", title: "Speech worker crashed",
            detail: "\(speech.description); other requests are unaffected, retry this one",
            headers: [.retryAfter: "1"])
    case .timedOut:
        return Problem(
            .serviceUnavailable, code: "timeout", title: "Speech timed out", detail: speech.description,
            headers: [.retryAfter: "1"])
    case .shuttingDown, .unavailable:
        return Problem(
            .serviceUnavailable, code: "unavailable", title: "Speech unavailable", detail: speech.description,
            headers: [.retryAfter: "5"])
    case .engine(let message):
        return Problem(.unprocessableContent, code: "engine", title: "The engine refused the text", detail: message)
    }
}

func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return "\"\(path)\" must be \(type == String.self ? "a string" : type == Int.self ? "an integer" : "\(type)")"
    case DecodingError.dataCorrupted(let context):
        if let underlying = context.underlyingError as NSError? {
            return underlying.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
        }
        return context.debugDescription
    default:
        return "\(error)"
    }
}

/// The offset of the first byte that is not part of valid UTF-8, or nil when all of it is.
func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
    var i = 0
    while i < b.count {
        let c = b[i]
        let n: Int
        if c < 0x80 {
            n = 1
        } else if c & 0xE0 == 0xC0 {
            n = 2
        } else if c & 0xF0 == 0xE0 {
            n = 3
        } else if c & 0xF8 == 0xF0 {
            n = 4
        } else {
            return i
        }
        guard i + n <= b.count, String(validating: b[i..<(i + n)], as: UTF8.self) != nil else { return i }
        i += n
    }
    return nil
}
