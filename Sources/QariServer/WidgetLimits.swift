import HTTPTypes
import Hummingbird

/// The widget routes' per-client token buckets: one for every request, and one each for the routes that make
/// something (new readings, pronunciation reports).
struct WidgetLimits: Sendable {
    let requests: TokenLimit
    let readings: TokenLimit
    let reports: TokenLimit

    init(configuration c: AccessConfiguration, metrics: QariMetrics?) {
        requests = TokenLimit(
            bucket: RateLimiter(perMinute: c.requestsPerMinute, burst: c.requestsBurst), rule: "requests",
            what: "more than \(c.requestsPerMinute) requests a minute", metrics: metrics)
        readings = TokenLimit(
            bucket: RateLimiter(perMinute: c.readingsPerMinute, burst: c.readingsBurst), rule: "readings",
            what: "more than \(c.readingsPerMinute) new readings a minute", metrics: metrics)
        // Counted under a daily salted hash of the client (`ReportClients`).
        let reportClients = ReportClients()
        reports = TokenLimit(
            bucket: RateLimiter(perHour: c.reportsPerHour), rule: "reports",
            what: "more than \(c.reportsPerHour) pronunciation reports an hour", metrics: metrics,
            key: { reportClients.key($0) })
    }

    /// The limit of its own `route` carries when called with `method`, if it has one.
    func limit(_ route: Route, _ method: HTTPRequest.Method) -> TokenLimit? {
        switch (route, method) {
        case (.readings, .post): readings
        case (.reports, .post): reports
        default: nil
        }
    }
}

/// One token bucket per client as a middleware: a request without a token is a 429 with when to come back.
struct TokenLimit: RouterMiddleware {
    typealias Context = QariContext
    let bucket: RateLimiter
    /// The `rule` label of `qari_refused_total`.
    let rule: String
    /// What the client did, as the problem tells it.
    let what: String
    let metrics: QariMetrics?
    var key: @Sendable (String) -> String = { $0 }

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        if let wait = bucket.take(key(context.client)) {
            metrics?.refused(rule)
            throw Problem.tooMany(what, retry: wait)
        }
        return try await next(request, context)
    }
}
