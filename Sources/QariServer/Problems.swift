import Foundation
import Hummingbird
import QariPage
import QariReading
import QariSpeech
import QariText
import QariWorkers

/// A value of a problem's extension member: numbers stay numbers.
public enum ProblemValue: Sendable, Equatable, Encodable {
    case string(String)
    case int(Int)
    case strings([String])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let n): try c.encode(n)
        case .strings(let list): try c.encode(list)
        }
    }
}

/// An RFC 9457 problem: the error body every Qari endpoint answers with.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A short, stable identifier of the kind of problem (the last part of `type`).
    public var code: String
    public var title: String
    public var detail: String
    /// Extra members, e.g. the voices that exist, or where SSML went wrong.
    public var extensions: [String: ProblemValue] = [:]
    public var headers: HTTPFields = [:]

    public init(
        _ status: HTTPResponse.Status, code: String, title: String, detail: String,
        extensions: [String: ProblemValue] = [:], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    /// The `application/problem+json` response.
    public func response(from request: Request, context: some RequestContext) -> Response { response() }

    /// The `application/problem+json` response.
    public func response() -> Response {
        var members = extensions
        members["type"] = .string("urn:qari:problem:\(code)")
        members["title"] = .string(title)
        members["status"] = .int(Int(status.code))
        members["detail"] = .string(detail)
        let encoder = JSONEncoder()
        encoder.outputFormatting = jsonOutputFormatting
        let data = (try? encoder.encode(members)) ?? Data()
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Problem {
    /// The one mapping from what Qari's modules throw to what a client is told.
    public init(_ error: any Error) {
        switch error {
        case let problem as Problem: self = problem
        case let error as SSMLError:
            self.init(
                .badRequest, code: "invalid-ssml", title: "Malformed SSML",
                detail: "\"text\" is not valid SSML: \(error)",
                extensions: ["line": .int(error.line), "column": .int(error.column)])
        case let error as WorkerError: self.init(worker: error)
        case let error as SpeechError:
            self.init(.unprocessableContent, code: "engine", title: "The engine refused the text", detail: "\(error)")
        case let error as PageError: self.init(page: error)
        case let error as ReadingError: self.init(reading: error)
        case let error as MarksUnavailable:
            self.init(
                .serviceUnavailable, code: "unavailable", title: "Reading unavailable", detail: error.description,
                headers: [.retryAfter: "1"])
        case let error as ReportError:
            switch error {
            case .unknownReading:
                self.init(.notFound, code: "unknown-reading", title: "Unknown reading", detail: error.description)
            case .noPassage, .badRange, .noWord:
                self.init(
                    .unprocessableContent, code: "bad-range", title: "No such word in the reading",
                    detail: error.description)
            case .noteTooLong:
                self.init(
                    .unprocessableContent, code: "note-too-long", title: "Note too long", detail: error.description)
            case .privateReading:
                self.init(.forbidden, code: "private-reading", title: "Private reading", detail: error.description)
            }
        case is StoreUnavailable:
            // A full disk: the report is not kept; the path stays in the log, not in the answer.
            self.init(
                .serviceUnavailable, code: "storage-full", title: "Reports cannot be kept now",
                detail: "the reports database cannot be written now (the disk may be full); try again later",
                headers: [.retryAfter: "60"])
        case let error as DisplayTransform.TransformError:
            self.init(.badRequest, code: "unknown-mode", title: "Unknown display mode", detail: error.description)
        case let error as HTTPError:
            self.init(
                error.status, code: Self.code(error.status), title: error.status.reasonPhrase,
                detail: error.body ?? error.status.reasonPhrase)
        default:
            self.init(
                .internalServerError, code: "internal", title: "Internal error", detail: "the server failed: \(error)")
        }
    }

    /// A kebab-case code for a plain HTTP status ("Not Found" → `not-found`).
    static func code(_ status: HTTPResponse.Status) -> String {
        status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
    }

    private init(worker error: WorkerError) {
        let who = ["pages": "Page"][error.pool ?? ""] ?? (error.pool ?? "worker").capitalizedFirst
        switch error {
        case .busy:
            self.init(
                .serviceUnavailable, code: "busy", title: "Busy", detail: error.description,
                headers: [.retryAfter: "1"])
        case .crashed:
            self.init(
                .serviceUnavailable, code: "worker-crashed", title: "\(who) worker crashed",
                detail: "\(error.description); other requests are unaffected, retry this one",
                headers: [.retryAfter: "1"])
        case .timedOut:
            self.init(
                .serviceUnavailable, code: "timeout", title: "\(who) request timed out", detail: error.description,
                headers: [.retryAfter: "1"])
        case .shuttingDown, .unavailable:
            self.init(
                .serviceUnavailable, code: "unavailable", title: "\(who) unavailable", detail: error.description,
                headers: [.retryAfter: "5"])
        case .failed(let pool, let message):
            if pool == "speech" {
                self.init(.unprocessableContent, code: "engine", title: "The engine refused the text", detail: message)
            } else {
                self.init(
                    .internalServerError, code: "internal", title: "Internal error",
                    detail: "the \(pool) worker failed: \(message)")
            }
        }
    }

    private init(page error: PageError) {
        switch error {
        case .tooLarge:
            self.init(.contentTooLarge, code: "page-too-large", title: "Page too large", detail: error.description)
        case .undecodable(.unsupported):
            self.init(
                .unsupportedMediaType, code: "unsupported-charset", title: "Unsupported charset",
                detail: error.description)
        case .undecodable:
            self.init(.badRequest, code: "invalid-encoding", title: "Page not decodable", detail: error.description)
        case .timeLimit, .tooDeep:
            self.init(
                .unprocessableContent, code: "page-too-complex", title: "Page too complex",
                detail: error.description)
        }
    }

    private init(reading error: ReadingError) {
        switch error {
        case .nothingToRead:
            self.init(
                .unprocessableContent, code: "nothing-to-read", title: "Nothing to read", detail: error.description)
        case .unknownVoice:
            self.init(
                .notFound, code: "unknown-voice", title: "Unknown voice", detail: error.description,
                extensions: ["voices": .strings(VoiceCatalog.ids)])
        case .unknownMode:
            self.init(.badRequest, code: "unknown-mode", title: "Unknown display mode", detail: error.description)
        case .badAnswer:
            self.init(.internalServerError, code: "internal", title: "Internal error", detail: error.description)
        }
    }

    // The problems that routes raise themselves, about the request's form.

    static func invalidJSON(_ error: any Error, expected: String) -> Problem {
        Problem(
            .badRequest, code: "invalid-json", title: "Body is not valid JSON",
            detail: "the request body must be a JSON object \(expected): \(describe(error))")
    }

    static func pageTooLarge(limit: Int, bodyLimit: Int? = nil) -> Problem {
        Problem(
            .contentTooLarge, code: "page-too-large", title: "Page too large",
            detail: bodyLimit.map { "the request body is larger than \($0) bytes; pages may be \(limit) bytes" }
                ?? "the page is larger than \(limit) bytes")
    }

    static func notAPage(_ contentType: String, json: Bool) -> Problem {
        Problem(
            .unsupportedMediaType, code: "unsupported-media-type", title: "Not a page",
            detail: json
                ? "send the page as text/html, or as application/json {\"html\"}; got \(contentType)"
                : "send the page as text/html; got \(contentType)")
    }

    static func unknownVoice(_ name: String) -> Problem {
        let list = VoiceCatalog.ids.joined(separator: ", ")
        return Problem(
            .notFound, code: "unknown-voice", title: "Unknown voice",
            detail: name.isEmpty
                ? "\"voice\" is missing; available voices: \(list)" : "no voice \"\(name)\"; available voices: \(list)",
            extensions: ["voices": .strings(VoiceCatalog.ids)])
    }
}

/// Turns every error a route throws into a problem response, so no client ever sees an empty 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(to: error, request, context)
        }
    }

    /// The problem response for `error`, logged when it is the server's fault.
    static func response(to error: any Error, _ request: Request, _ context: Context) -> Response {
        if let error = error as? HTTPError {
            let detail: String =
                switch error.status {
                case .notFound: "no route for \(request.method) \(request.uri.path)"
                case .contentTooLarge: "the request body is larger than this server accepts"
                case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
                default: error.body ?? error.status.reasonPhrase
                }
            return Problem(
                error.status, code: Problem.code(error.status), title: error.status.reasonPhrase,
                detail: detail
            ).response()
        }
        let problem = Problem(error)
        if problem.status == .internalServerError {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
        }
        return problem.response()
    }
}

extension Problem {
    /// A 429 saying what the client did and when to come back.
    static func tooMany(_ what: String, retry: Duration) -> Problem {
        let seconds = max(1, Int((retry / .seconds(1)).rounded(.up)))
        return Problem(
            .tooManyRequests, code: "rate-limited", title: "Too many requests",
            detail: "this client made \(what); retry in \(seconds) s", headers: [.retryAfter: "\(seconds)"])
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// What went wrong in a JSON body, in a client's words.
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
