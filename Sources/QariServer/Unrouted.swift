import Hummingbird

/// What a request the router matched to no endpoint is told, under no class's rules (no limits, no CORS): 501 for
/// a method Qari does not know at all (RFC 9110, 15.6.2), else 404.
///
/// Declared paths answer every method Qari knows themselves (`RouteGroups.refuseOtherMethods`): the router is the
/// one place paths are matched.
struct Unrouted: RouterMiddleware {
    typealias Context = QariContext

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            guard RouteGroups.answered.contains(request.method) else {
                throw Problem(
                    .notImplemented, code: "unknown-method", title: "Not Implemented",
                    detail: "\(request.method) is not a method Qari answers")
            }
            throw Problem(
                .notFound, code: "not-found", title: "Not Found",
                detail: "no route for \(request.method) \(request.uri.path)")
        }
    }
}
