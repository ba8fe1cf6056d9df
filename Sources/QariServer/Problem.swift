import Foundation
import Hummingbird

/// An RFC 9457 problem: the error body every Qari endpoint answers with.
public struct Problem: Error, Sendable {
    public var status: HTTPResponse.Status
    /// A short, stable identifier of the kind of problem (the last part of `type`).
    public var code: String
    public var title: String
    public var detail: String
    /// Extra members, e.g. the voices that exist.
    public var extensions: [String: [String]] = [:]
    public var headers: HTTPFields = [:]

    public init(
        _ status: HTTPResponse.Status, code: String, title: String, detail: String,
        extensions: [String: [String]] = [:], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    /// The `application/problem+json` response.
    public func response() -> Response {
        var object: [String: Any] = [
            "type": "urn:qari:problem:\(code)", "title": title, "status": Int(status.code), "detail": detail,
        ]
        for (k, v) in extensions { object[k] = v }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error a route throws into a problem response, so no client ever sees an empty 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response()
        } catch let error as HTTPError {
            let status = error.status
            let detail: String =
                switch status {
                case .notFound: "no route for \(request.method) \(request.uri.path)"
                case .contentTooLarge: "the request body is larger than this server accepts"
                case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
                default: error.body ?? status.reasonPhrase
                }
            return Problem(
                status, code: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-"),
                title: status.reasonPhrase, detail: detail
            ).response()
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            return Problem(
                .internalServerError, code: "internal", title: "Internal error", detail: "the server failed: \(error)"
            ).response()
        }
    }
}
