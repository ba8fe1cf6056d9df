import HTTPTypes
import Hummingbird

/// Which pages may call the widget's routes from a browser, and what they are told.
struct CORSPolicy: Sendable {
    let origins: [String]

    /// The headers a response to `origin` carries (none for an origin not listed).
    func headers(for origin: String?, into headers: inout HTTPFields) {
        guard let origin, origins.contains("*") || origins.contains(origin) else { return }
        headers[.accessControlAllowOrigin] = origins.contains("*") ? "*" : origin
        headers[.accessControlExposeHeaders] =
            "Content-Length, Content-Range, Accept-Ranges, ETag, Retry-After, X-Request-Id"
        headers[.vary] = "Origin"
    }

    /// The answer to a preflight for a route of `routeClass`: 204 for a listed origin on a widget route, else 403.
    func preflight(_ request: Request, _ routeClass: RouteClass) throws -> Response {
        var headers: HTTPFields = [
            .accessControlAllowMethods: "GET, HEAD, POST",
            .accessControlAllowHeaders: "Content-Type, Range, Qari-Privacy",
            .accessControlMaxAge: "600",
        ]
        self.headers(for: request.headers[.origin], into: &headers)
        guard routeClass != .portal, headers[.accessControlAllowOrigin] != nil else {
            throw Problem(
                .forbidden, code: "cors-origin", title: "Origin not allowed",
                detail: "\(request.headers[.origin] ?? "this page") may not call \(request.uri.path) from a browser")
        }
        return Response(status: .noContent, headers: headers)
    }
}

/// The widget routes' group: answers, problems included, carry CORS headers for the listed origins.
struct CORSHeaders: RouterMiddleware {
    typealias Context = QariContext
    let policy: CORSPolicy

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ProblemMiddleware<QariContext>.response(to: error, request, context)
        }
        policy.headers(for: request.headers[.origin], into: &response.headers)
        return response
    }
}
