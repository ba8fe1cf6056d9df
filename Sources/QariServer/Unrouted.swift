import HTTPTypes
import Hummingbird

/// What a request the router matched to no endpoint is told: a CORS preflight's answer, `405` with `Allow` for a
/// declared path, else a 404 under no class's rules (no limits, no CORS).
///
/// The one place a path is matched outside the router: the router knows only that nothing matched, while the
/// preflight and `Allow` need the route the path declares. It runs only after the router found nothing.
struct Unrouted: RouterMiddleware {
    typealias Context = QariContext
    let cors: CORSPolicy

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            guard let route = Route.matching(request.uri.path) else {
                throw Problem(
                    .notFound, code: "not-found", title: "Not Found",
                    detail: "no route for \(request.method) \(request.uri.path)")
            }
            // A preflight is judged by the method it asks about.
            if request.method == .options, let asked = request.headers[.accessControlRequestMethod] {
                return try cors.preflight(request, route.access(HTTPRequest.Method(asked) ?? .options))
            }
            var response = Problem(
                .methodNotAllowed, code: "method-not-allowed", title: "Method Not Allowed",
                detail: "\(request.method) is not allowed on \(request.uri.path)",
                headers: [.allow: route.allowed.map(\.rawValue).joined(separator: ", ")]
            ).response()
            if route.access(request.method) == .widget {
                cors.headers(for: request.headers[.origin], into: &response.headers)
            }
            return response
        }
    }
}
