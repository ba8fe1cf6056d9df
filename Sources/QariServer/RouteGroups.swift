import HTTPTypes
import Hummingbird

/// The router's three groups, one per access class, each with its class's middleware; a route that makes something
/// adds its own limit.
struct RouteGroups {
    let portal: RouterGroup<QariContext>
    let widget: RouterGroup<QariContext>
    let open: RouterGroup<QariContext>
    let limits: WidgetLimits

    init(_ router: Router<QariContext>, access: AccessConfiguration, metrics: QariMetrics?) {
        let concurrency = ConcurrencyLimit(inFlight: InFlight(), limit: access.concurrentPerClient, metrics: metrics)
        limits = WidgetLimits(configuration: access, metrics: metrics)
        portal = router.group().add(middleware: concurrency).add(
            middleware: APIKeys(keys: access.apiKeys, metrics: metrics))
        widget = router.group().add(middleware: CORSHeaders(policy: CORSPolicy(origins: access.corsOrigins)))
            .add(middleware: concurrency).add(middleware: limits.requests)
        open = router.group().add(middleware: concurrency)
    }

    /// Registers `handler` for each of the route's methods in its class's group, and `HEAD` wherever `GET` is.
    func on<Output: ResponseGenerator>(
        _ route: Route, use handler: @escaping @Sendable (Request, QariContext) async throws -> Output
    ) {
        for method in route.methods {
            var group =
                switch route.access(method) {
                case .portal: portal
                case .widget: widget
                case .open: open
                }
            if let limit = limits.limit(route, method) { group = group.group().add(middleware: limit) }
            group.on(route.pattern, method: method, use: handler)
            if method == .get {
                group.on(route.pattern, method: .head) { request, context in
                    try await Self.head(request, context, handler)
                }
            }
        }
    }

    /// The methods every declared path answers: its own, and the others with a preflight or `405`. RFC 9110's and
    /// QUERY (the safe method with a body); any other method is one Qari does not know (`Unrouted`: 501).
    static let answered: [HTTPRequest.Method] = [
        .get, .head, .post, .put, .delete, .patch, .options, .trace, HTTPRequest.Method("QUERY")!,
    ]

    /// Every other method on every declared path, in the router itself: a CORS preflight's answer, else `405` with
    /// `Allow`. So the router is the one place a path is matched, these answers included.
    static func refuseOtherMethods(_ router: Router<QariContext>, cors: CORSPolicy) {
        for route in Route.allCases {
            for method in answered where !route.allowed.contains(method) {
                router.on(route.pattern, method: method) { request, _ -> Response in
                    // A preflight is judged by the method it asks about.
                    if method == .options, let asked = request.headers[.accessControlRequestMethod] {
                        return try cors.preflight(request, route.access(HTTPRequest.Method(asked) ?? .options))
                    }
                    var response = Problem(
                        .methodNotAllowed, code: "method-not-allowed", title: "Method Not Allowed",
                        detail: "\(request.method) is not allowed on \(request.uri.path)",
                        headers: [.allow: route.allowed.map(\.rawValue).joined(separator: ", ")]
                    ).response()
                    if route.access(method) == .widget {
                        cors.headers(for: request.headers[.origin], into: &response.headers)
                    }
                    return response
                }
            }
        }
    }

    /// The `GET` answer without its body: the same status and headers, `Content-Length` kept.
    private static func head<Output: ResponseGenerator>(
        _ request: Request, _ context: QariContext,
        _ handler: @Sendable (Request, QariContext) async throws -> Output
    ) async throws -> Response {
        var get = request.head
        get.method = .get
        var response = try await handler(Request(head: get, body: request.body), context).response(
            from: request, context: context)
        // The length the GET would send, and no bytes (Hummingbird sets Content-Length from the body's).
        let length = response.body.contentLength ?? response.headers[.contentLength].flatMap { Int($0) }
        response.body = ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
        return response
    }
}
