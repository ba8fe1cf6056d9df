import Foundation
import Hummingbird
import QariPage
import QariReading
import QariSpeech

/// What `POST /v1/readings` and `GET /v1/readings/{id}` answer: the page's passages and fields, and where its audio
/// and marks are.
struct ReadingDocument: ResponseEncodable {
    var id: String
    var lang: String
    var title: String
    /// The audio and marks are made already (a second citizen's reading costs no synthesis).
    var cached: Bool
    var passages: [PlanPassage]
    /// The page's form fields, each described (apart from the passages, which are read in order), each with its
    /// own audio and marks.
    var fields: [ReadingField]
    var audio: [String: String]
    var marks: [String: String]
    /// A citizen's own page: kept in memory only for a while, never reported (see docs/privacy.md).
    var `private`: Bool

    init(_ reading: Reading, cached: Bool) {
        let plan = reading.plan
        id = reading.id
        `private` = reading.isPrivate
        lang = plan.content.lang
        title = plan.content.title
        self.cached = cached
        passages = plan.items
        let base = "/v1/readings/\(reading.id)/"
        fields = plan.fieldItems.map {
            ReadingField(
                field: $0, audio: base + Readings.fieldAudioName($0.index),
                marks: base + Readings.fieldMarksName($0.index))
        }
        audio = ["ogg": base + "audio.ogg", "mp3": base + "audio.mp3"]
        marks = ["json": base + "marks.json", "vtt": base + "marks.vtt", "stream": base + "marks.ndjson"]
    }

    /// The document as `jsonResponse` writes it, its passages written by `PassagesJSON`.
    func json() throws -> [UInt8] {
        var rest = self
        rest.passages = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = jsonOutputFormatting
        var bytes = Array(try encoder.encode(rest))
        // The top-level key is the last "passages" (keys are sorted; fields come before it, and a quote inside a
        // string is escaped).
        let empty = Array(#""passages":[]"#.utf8)
        guard
            let at = stride(from: bytes.count - empty.count, through: 0, by: -1).first(where: {
                bytes[$0..<$0 + empty.count].elementsEqual(empty)
            })
        else { return Array(try encoder.encode(self)) }
        bytes.replaceSubrange(at + empty.count - 2..<at + empty.count, with: PassagesJSON.write(passages))
        return bytes
    }
}

/// A field in a reading: its description, and where its own audio and marks are.
struct ReadingField: Encodable {
    var field: PlanField
    var audio: String
    var marks: String

    enum CodingKeys: String, CodingKey { case audio, marks }

    func encode(to encoder: any Encoder) throws {
        try field.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(audio, forKey: .audio)
        try c.encode(marks, forKey: .marks)
    }
}

/// `POST /v1/readings` and the reading's audio and marks: made once, streamed while made, then served from the cache.
struct ReadingRoutes: Sendable {
    let readings: Readings
    let configuration: ServerConfiguration

    /// A duration in milliseconds with one decimal, as Server-Timing gives it.
    static func milliseconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(format: "%.1f", ms)
    }

    func add(to groups: RouteGroups) {
        groups.on(.readings) { request, context in
            let (page, _) = try await pageInput(request, configuration: configuration)
            let started = ContinuousClock.now
            let (reading, cached) = try await readings.read(page)
            // The page read into passages (decoding, extraction, voices): a step of a first click's profile.
            var headers = privacyHeaders(reading)
            headers[.serverTiming] = "page;dur=\(Self.milliseconds(ContinuousClock.now - started))"
            return jsonResponse(bytes: try ReadingDocument(reading, cached: cached).json(), headers: headers)
        }
        groups.on(.reading) { request, context in
            let reading = try await find(context)
            return jsonResponse(
                bytes: try ReadingDocument(reading, cached: await readings.isMade(reading)).json(),
                headers: privacyHeaders(reading))
        }
        groups.on(.readingFile) { request, context in
            let reading = try await find(context)
            let file = context.parameters.get("file") ?? ""
            return keptPrivate(try await answer(file, of: reading, request, context), reading)
        }
    }

    /// A reading's file: its audio, or its marks as JSON, WebVTT or NDJSON lines.
    private func answer(
        _ file: String, of reading: Reading, _ request: Request, _ context: QariContext
    ) async throws -> Response {
        switch file {
        case "audio.ogg", "audio.mp3":
            let format = ReadingFormat(rawValue: String(file.dropFirst("audio.".count)))!
            return try await readingAudio(readings, reading, format, request: request, context: context, extra: [:])
        case "marks.json":
            return try jsonResponse(try await readings.completeMarks(reading), headers: immutable(reading, file))
        case "marks.vtt":
            var headers = immutable(reading, file)
            headers[.contentType] = "text/vtt; charset=utf-8"
            return Response(
                status: .ok, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: try await readings.webVTT(reading))))
        case "marks.ndjson":
            // Streamed as made: a proxy must pass each line on at once (nginx reads X-Accel-Buffering).
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/x-ndjson", .cacheControl: "no-store", .xAccelBuffering: "no",
                ],
                body: ResponseBody { writer in
                    try await readings.writeMarkLines(reading) { try await writer.write(ByteBuffer(bytes: $0)) }
                    try await writer.finish(nil)
                })
        default:
            guard let (index, isAudio) = Readings.field(ofFile: file), index < reading.plan.content.fields.count
            else {
                throw Problem(
                    .notFound, code: "not-found", title: "Not Found",
                    detail: "a reading has audio.ogg, audio.mp3, marks.json, marks.vtt, marks.ndjson, and "
                        + "field-N.ogg and field-N.json for each of its \(reading.plan.content.fields.count) fields; "
                        + "not \(file)")
            }
            if isAudio {
                return try await audioAnswer(
                    await readings.fieldAudio(reading, index), of: reading, file: file,
                    mimeType: ReadingFormat.ogg.audioFormat.mimeType, request: request, context: context, extra: [:])
            }
            return try jsonResponse(try await readings.fieldMarks(reading, index), headers: immutable(reading, file))
        }
    }

    private func find(_ context: QariContext) async throws -> Reading {
        let id = context.parameters.get("id") ?? ""
        guard Reading.isID(id) else {
            throw Problem(
                .notFound, code: "unknown-reading", title: "Unknown reading",
                detail: "\"\(id)\" is not a reading id (64 hex digits, or p and 40 for a private one)")
        }
        guard let reading = await readings.reading(id) else {
            throw Problem(
                .notFound, code: "unknown-reading", title: "Unknown reading",
                detail: "no reading \(id): create it with POST /v1/readings")
        }
        return reading
    }
}

/// Headers of a finished reading's file: it never changes, its address says what it holds. A private reading's
/// are kept by no cache at all.
func immutable(_ reading: Reading, _ file: String) -> HTTPFields {
    if reading.isPrivate { return privacyHeaders(reading) }
    return [.eTag: "\"\(reading.id).\(file)\"", .cacheControl: "public, max-age=31536000, immutable"]
}

/// What every answer about a private reading says, so that no proxy or browser cache keeps it.
func privacyHeaders(_ reading: Reading) -> HTTPFields {
    reading.isPrivate ? [.cacheControl: "no-store, private"] : [:]
}

/// The answer, for a private reading with `Cache-Control: no-store, private` and no validator.
func keptPrivate(_ response: Response, _ reading: Reading) -> Response {
    guard reading.isPrivate else { return response }
    var response = response
    response.headers[.cacheControl] = "no-store, private"
    response.headers[.eTag] = nil
    return response
}

/// A reading's audio: the finished file with ranges and validators, or the stream while it is made.
func readingAudio(
    _ readings: Readings, _ reading: Reading, _ format: ReadingFormat, request: Request,
    context: QariContext, extra: HTTPFields
) async throws -> Response {
    let background = request.headers.asksBackground
    return try await audioAnswer(
        await readings.audio(reading, format, background: background), of: reading, file: format.fileName,
        mimeType: format.audioFormat.mimeType, request: request, context: context, extra: extra)
}

/// One of a reading's audio files: the finished file with ranges and validators, or the stream while it is made.
func audioAnswer(
    _ audio: Readings.Audio, of reading: Reading, file: String, mimeType: String, request: Request,
    context: QariContext, extra: HTTPFields
) async throws -> Response {
    var headers = immutable(reading, file)
    headers[.contentType] = mimeType
    headers.append(contentsOf: extra)
    switch audio {
    case .file(let directory, let name):
        let fs = LocalFileSystem(rootFolder: directory, threadPool: .singleton, logger: context.logger)
        guard let id = fs.getFileIdentifier(name), let attributes = try await fs.getAttributes(id: id) else {
            throw Problem(ReadingError.badAnswer("a stored reading lost its \(file)"))
        }
        return try await ranged(request, size: attributes.size, headers: headers) { range in
            if let range { return try await fs.loadFile(id: id, range: range, context: context) }
            return try await fs.loadFile(id: id, context: context)
        }
    case .bytes(let bytes):
        return try await ranged(request, size: bytes.count, headers: headers) { range in
            .init(byteBuffer: ByteBuffer(bytes: range.map { Array(bytes[$0]) } ?? bytes))
        }
    case .live(let stream):
        // The first bytes decide the status: a refusal (busy, crashed) before any audio is a precise problem.
        var iterator = stream.makeAsyncIterator()
        let first = try await iterator.next()
        headers[.cacheControl] = "no-store"
        headers[.xAccelBuffering] = "no"
        headers[.eTag] = nil
        headers[.acceptRanges] = "none"
        let rest = stream
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                if let first { try await writer.write(ByteBuffer(bytes: first)) }
                // The stream goes on after the first chunk (one consumer at a time, never two at once).
                for try await chunk in rest { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
    }
}

/// A finished file's answer: 304 for a matching `If-None-Match`, 206 for a satisfiable `Range`, 416 for one that
/// is not, else 200 with its length.
func ranged(
    _ request: Request, size: Int, headers: HTTPFields, body: (ClosedRange<Int>?) async throws -> ResponseBody
) async throws -> Response {
    var headers = headers
    headers[.acceptRanges] = "bytes"
    if let tag = headers[.eTag], let match = request.headers[.ifNoneMatch],
        match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0 == "*" })
    {
        return Response(status: .notModified, headers: headers)
    }
    guard let spec = request.headers[.range] else {
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: try await body(nil))
    }
    guard let range = byteRange(spec, size: size) else {
        headers[.contentRange] = "bytes */\(size)"
        return Problem(
            .rangeNotSatisfiable, code: "range-not-satisfiable", title: "Range Not Satisfiable",
            detail: "\(spec) is outside the \(size) bytes of this file", headers: headers
        ).response()
    }
    headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
    headers[.contentLength] = String(range.count)
    return Response(status: .partialContent, headers: headers, body: try await body(range))
}

/// The one range of a `Range: bytes=…` header within `size` bytes; nil when it is malformed or unsatisfiable.
/// Several ranges are answered with the first only.
func byteRange(_ spec: String, size: Int) -> ClosedRange<Int>? {
    guard spec.hasPrefix("bytes="), size > 0 else { return nil }
    let first = spec.dropFirst(6).split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    let parts = first.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2 else { return nil }
    if parts[0].isEmpty {
        guard let n = Int(parts[1]), n > 0 else { return nil }
        return max(0, size - n)...(size - 1)
    }
    guard let start = Int(parts[0]), start >= 0, start < size else { return nil }
    if parts[1].isEmpty { return start...(size - 1) }
    guard let end = Int(parts[1]), end >= start else { return nil }
    return start...min(end, size - 1)
}
