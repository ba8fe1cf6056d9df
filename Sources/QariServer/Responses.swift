import Foundation
import Hummingbird
import NIOCore
import QariAudio
import QariSpeech

/// How every JSON answer is written: keys sorted, slashes as they are.
let jsonOutputFormatting: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes]

/// A JSON answer with sorted keys.
func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
    -> Response
{
    let encoder = JSONEncoder()
    encoder.outputFormatting = jsonOutputFormatting
    return jsonResponse(bytes: Array(try encoder.encode(value)), status: status, headers: headers)
}

/// A JSON answer already written.
func jsonResponse(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var fields: HTTPFields = [.contentType: "application/json"]
    fields.append(contentsOf: headers)
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}

/// The audio format a request asks for: its `format`, else (for audio answers) its `Accept` header, else WAV.
func chooseAudioFormat(name: String?, accept: String?, needsFormat: Bool) throws -> AudioFormat {
    if let name {
        guard let f = AudioFormat(name: name) else {
            throw Problem(
                .unsupportedMediaType, code: "unknown-format", title: "Unknown audio format",
                detail: "no audio format \"\(name)\"; available: wav, ogg, mp3",
                extensions: ["formats": .strings(AudioFormat.allCases.map(\.rawValue))])
        }
        return f
    }
    guard needsFormat else { return .wav }
    guard let f = AudioFormat.negotiate(accept: accept) else {
        throw Problem(
            .notAcceptable, code: "not-acceptable", title: "No acceptable audio format",
            detail: "Accept \"\(accept ?? "")\" names none of audio/wav, audio/ogg, audio/mpeg",
            extensions: ["formats": .strings(AudioFormat.allCases.map(\.mimeType))])
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

/// An audio answer made whole before it is sent: its length is known, and a WAV's header says it.
func wholeAudioResponse(
    _ stream: AsyncThrowingStream<SpeechEvent, any Error>, format: AudioFormat, sampleRate: Int,
    headers extra: HTTPFields
) async throws -> Response {
    var encoder = try format.makeEncoder(sampleRate: sampleRate)
    var bytes: [UInt8] = []
    var samples = 0
    for try await event in stream {
        if case .audio(let chunk) = event {
            bytes += try encoder.encode(chunk)
            samples += chunk.count
        }
    }
    bytes += try encoder.finish()
    if format == .wav {
        let header = WAVEncoder.header(sampleRate: sampleRate, dataBytes: samples * 2)
        bytes.replaceSubrange(0..<header.count, with: header)
    }
    var headers: HTTPFields = [.contentType: format.mimeType, .cacheControl: "no-store"]
    headers.append(contentsOf: extra)
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}

/// Every mark of a speech stream and its length in samples.
func collectMarks(_ stream: AsyncThrowingStream<SpeechEvent, any Error>) async throws -> ([Mark], Int) {
    var marks: [Mark] = []
    var samples = 0
    for try await event in stream {
        switch event {
        case .marks(let m): marks += m
        case .end(let n): samples = n
        case .audio: break
        }
    }
    return (marks, samples)
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

/// The `charset` parameter of a Content-Type.
func charset(_ contentType: String) -> String? {
    for part in contentType.split(separator: ";").dropFirst() {
        let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if kv.count == 2, kv[0] == "charset" {
            return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
    }
    return nil
}

/// Whether a Content-Type names an HTML page.
func isHTML(_ contentType: String) -> Bool {
    contentType.hasPrefix("text/html") || contentType.hasPrefix("application/xhtml+xml")
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

/// The request's body, up to `limit` bytes: `tooLarge` beyond, a 400 when the body itself is broken (a bad chunk,
/// a connection that ends early).
func collectBody(_ request: Request, upTo limit: Int, tooLarge: @autoclosure () -> Problem) async throws -> ByteBuffer {
    do {
        return try await request.body.collect(upTo: limit)
    } catch let error as HTTPError where error.status == .contentTooLarge {
        throw tooLarge()
    } catch is NIOTooManyBytesError {
        throw tooLarge()
    } catch {
        throw Problem(
            .badRequest, code: "malformed-body", title: "Malformed request body",
            detail: "the request body could not be read: \(error)")
    }
}
