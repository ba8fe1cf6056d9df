import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import QariReading
import Synchronization

/// Who may call what: API keys for the portal's routes, per-client limits on the widget's, trusted proxies, CORS.
public struct AccessConfiguration: Sendable, Equatable {
    /// Keys the portal server sends as `Authorization: Bearer KEY`; several, so a key can be rotated. Empty: the
    /// portal's routes are open (for development on loopback; `qari serve` refuses that on other addresses).
    public var apiKeys: [String] = []
    /// Peers whose `X-Forwarded-For` is believed (nginx on loopback, say); IP addresses or IPv4 CIDR ranges.
    public var trustedProxies: [String] = []
    /// Origins whose pages may call the widget's routes from a browser (`*`: any).
    public var corsOrigins: [String] = []
    /// New readings (`POST /v1/readings`) a client may ask for per minute, and in one burst.
    public var readingsPerMinute = 30
    public var readingsBurst = 10
    /// Requests to the widget's routes a client may make per minute, and in one burst.
    public var requestsPerMinute = 1200
    public var requestsBurst = 200
    /// Requests of one client being answered at once (audio and marks streams count until they end).
    public var concurrentPerClient = 16
    /// Pronunciation reports (`POST /v1/reports`) a client may send per hour.
    public var reportsPerHour = 20

    public init() {}

    /// Whether `text` is an IP address or an IPv4/IPv6 range (`10.0.0.0/8`).
    public static func isAddressOrRange(_ text: String) -> Bool { IPRange(text) != nil }

    /// Whether `text` is a web origin (`https://www.service-public.ma`, `http://127.0.0.1:8080`) or `*`.
    public static func isOrigin(_ text: String) -> Bool {
        if text == "*" { return true }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else { return false }
        return url.path.isEmpty && url.query == nil && url.fragment == nil && url.user == nil
    }
}

/// Answers `HEAD` wherever `GET` is answered: the same status and headers, `Content-Length` kept, no body.
struct HeadAsGet<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        guard request.method == .head, Route.matching(request.uri.path)?.methods.contains(.get) == true else {
            return try await inner.respond(to: request, context: context)
        }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        // The length the GET would send, and no bytes (Hummingbird sets Content-Length from the body's).
        let length = response.body.contentLength ?? response.headers[.contentLength].flatMap { Int($0) }
        response.body = ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
        return response
    }
}

/// Token buckets, one per client: `take` answers nil when a token was there, else how long until one is.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }
    let perSecond: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int, burst: Int) {
        self.perSecond = Double(max(1, perMinute)) / 60
        self.burst = Double(max(1, burst))
    }

    /// `perHour` in a burst, then one every `3600 / perHour` seconds.
    init(perHour: Int) {
        self.perSecond = Double(max(1, perHour)) / 3600
        self.burst = Double(max(1, perHour))
    }

    func take(_ client: String, now: ContinuousClock.Instant = .now) -> Duration? {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer {
                buckets[client] = bucket
                // Clients long quiet have full buckets: forgetting them changes nothing.
                if buckets.count > 100_000 {
                    buckets = buckets.filter { now - $0.value.updated < .seconds(burst / perSecond) }
                }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return .milliseconds(Int(((1 - bucket.tokens) / perSecond * 1000).rounded(.up)))
        }
    }
}

/// What the report limit counts a client by: a hash of its address with a salt drawn at start and the day, so no
/// address is kept, and nothing links one day's counts to the next.
final class ReportClients: Sendable {
    private let salt: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    func key(_ client: String, now: Date = Date()) -> String {
        let day = Int(now.timeIntervalSince1970 / 86_400)
        return ContentHash.sha256(salt + Array("\(day) \(client)".utf8))
    }
}

/// Requests of each client being answered now. A slot not given back (a connection gone before its answer was
/// written) lapses after `lapse`, so no client is shut out for good.
final class InFlight: Sendable {
    private let slots = Mutex<[String: [ContinuousClock.Instant]]>([:])
    let lapse: Duration

    init(lapse: Duration = .seconds(900)) { self.lapse = lapse }

    func enter(_ client: String, limit: Int, now: ContinuousClock.Instant = .now) -> Bool {
        slots.withLock { slots in
            var mine = (slots[client] ?? []).filter { now - $0 < lapse }
            guard mine.count < limit else {
                slots[client] = mine
                return false
            }
            mine.append(now)
            slots[client] = mine
            return true
        }
    }

    func leave(_ client: String) {
        slots.withLock { slots in
            guard var mine = slots[client], !mine.isEmpty else { return }
            mine.removeFirst()
            slots[client] = mine.isEmpty ? nil : mine
        }
    }
}

/// The first middleware: request id, client address, API key, per-client limits, CORS, metrics and the one log
/// line per request.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = QariContext
    /// The largest body of known length passed on as it is (see `handle`).
    static let wholeBodyLimit = 64 << 10
    let configuration: AccessConfiguration
    let metrics: QariMetrics?
    let logger: Logger
    let inFlight = InFlight()
    private let proxies: [IPRange]

    init(configuration: AccessConfiguration, metrics: QariMetrics?, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        proxies = configuration.trustedProxies.compactMap(IPRange.init)
    }

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        context.requestID = Self.requestID(request.headers[.xRequestID])
        context.client = client(of: request, peer: context.remoteAddress?.ipAddress)
        // A preflight is judged by the method it asks about.
        let asked =
            request.method == .options
            ? request.headers[.accessControlRequestMethod].flatMap { HTTPRequest.Method($0) } : nil
        let routeClass = Route.matching(request.uri.path)?.access(asked ?? request.method)
        var response: Response
        var entered = false
        do {
            if routeClass == nil {
                // No route declares this path: 404, under no class's rules (no limits, no CORS).
                throw Problem(
                    .notFound, code: "not-found", title: "Not Found",
                    detail: "no route for \(request.method) \(request.uri.path)")
            } else if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
                response = try preflight(request, routeClass)
            } else {
                // The class's own rules (API key, per-client limits) are its route group's middleware.
                guard inFlight.enter(context.client, limit: configuration.concurrentPerClient) else {
                    metrics?.refused("concurrent")
                    throw Self.tooMany(
                        "more than \(configuration.concurrentPerClient) requests at once", retry: .seconds(1))
                }
                entered = true
                response = try await next(request, context)
            }
        } catch {
            if entered { inFlight.leave(context.client) }
            let problem = Problem(error)
            if problem.status == .internalServerError {
                logger.error("internal error", metadata: ["request_id": "\(context.requestID)", "error": "\(error)"])
            }
            response = problem.response()
        }
        response.headers[.xRequestID] = context.requestID
        cors(request, routeClass, into: &response.headers)
        let route = context.endpointPath ?? "unmatched"
        let status = Int(response.status.code)
        let body = response.body
        let method = request.method.rawValue
        let (id, client, metrics, logger, inFlight) = (
            context.requestID, context.client, self.metrics, self.logger, self.inFlight
        )
        let leave = entered
        let account: @Sendable ((any Error)?) -> Void = { failure in
            if leave { inFlight.leave(client) }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            metrics?.request(route: route, method: method, status: status, seconds: seconds)
            logger.info(
                "request",
                metadata: [
                    "request_id": "\(id)", "method": "\(method)", "route": "\(route)", "status": "\(status)",
                    "ms": "\(Int(seconds * 1000))", "client": "\(client)",
                    "outcome": "\(failure == nil ? "complete" : "cut")",
                ])
        }
        // A small body of known length (JSON, problems, marks) is in memory: counted now and passed on untouched,
        // so Hummingbird sends head and body in one write. Wrapped, the head went first, and a daemon killed before
        // the body left a proxy with a response it could neither finish nor retry on another daemon.
        if let length = body.contentLength, length <= Self.wholeBodyLimit {
            account(nil)
            return response
        }
        // Counted and logged once the body is written: a streamed reading's time is the whole stream's.
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            var failure: (any Error)?
            do { try await body.write(writer) } catch { failure = error }
            account(failure)
            if let failure { throw failure }
        }
        return response
    }

    static func tooMany(_ what: String, retry: Duration) -> Problem {
        let seconds = max(1, Int((retry / .seconds(1)).rounded(.up)))
        return Problem(
            .tooManyRequests, code: "rate-limited", title: "Too many requests",
            detail: "this client made \(what); retry in \(seconds) s", headers: [.retryAfter: "\(seconds)"])
    }

    /// Keys compared in time that does not depend on where they differ.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }

    /// The caller's id if it is a plain token, else a new one.
    static func requestID(_ given: String?) -> String {
        if let given, (1...64).contains(given.utf8.count),
            given.utf8.allSatisfy({
                $0 == 45 || $0 == 46 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0)
                    || (97...122).contains($0)
            })
        {
            return given
        }
        var bytes = [UInt8](repeating: 0, count: 8)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The peer, or, when the peer is a trusted proxy, the last address in `X-Forwarded-For` that is not one.
    func client(of request: Request, peer: String?) -> String {
        guard let peer else { return "unknown" }
        guard proxies.contains(where: { $0.contains(peer) }), let forwarded = request.headers[.xForwardedFor] else {
            return peer
        }
        let hops = forwarded.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !hop.isEmpty {
            if !proxies.contains(where: { $0.contains(hop) }) { return IPRange.parse(hop) != nil ? hop : peer }
        }
        return peer
    }

    private func allowed(_ origin: String) -> Bool {
        configuration.corsOrigins.contains("*") || configuration.corsOrigins.contains(origin)
    }

    private func preflight(_ request: Request, _ routeClass: RouteClass?) throws -> Response {
        guard let origin = request.headers[.origin], routeClass != .portal, allowed(origin) else {
            throw Problem(
                .forbidden, code: "cors-origin", title: "Origin not allowed",
                detail: "\(request.headers[.origin] ?? "this page") may not call \(request.uri.path) from a browser")
        }
        return Response(
            status: .noContent,
            headers: [
                .accessControlAllowMethods: "GET, HEAD, POST", .accessControlAllowHeaders: "Content-Type, Range",
                .accessControlMaxAge: "600",
            ])
    }

    private func cors(_ request: Request, _ routeClass: RouteClass?, into headers: inout HTTPFields) {
        guard let routeClass, routeClass != .portal, let origin = request.headers[.origin], allowed(origin) else {
            return
        }
        headers[.accessControlAllowOrigin] = configuration.corsOrigins.contains("*") ? "*" : origin
        headers[.accessControlExposeHeaders] =
            "Content-Length, Content-Range, Accept-Ranges, ETag, Retry-After, X-Request-Id"
        headers[.vary] = "Origin"
    }
}

/// The portal routes' group: an API key (`Authorization: Bearer KEY`), when keys are set.
struct PortalKeys: RouterMiddleware {
    typealias Context = QariContext
    let metrics: QariMetrics?
    private let keys: [[UInt8]]

    init(configuration: AccessConfiguration, metrics: QariMetrics?) {
        self.metrics = metrics
        keys = configuration.apiKeys.map { Array($0.utf8) }
    }

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        guard !keys.isEmpty else { return try await next(request, context) }
        let given = request.headers[.authorization].flatMap { value -> [UInt8]? in
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return Array(String(parts[1]).trimmingCharacters(in: .whitespaces).utf8)
        }
        guard let given, keys.contains(where: { AccessMiddleware.same($0, given) }) else {
            metrics?.refused("key")
            throw Problem(
                .unauthorized, code: "unauthorized", title: "API key required",
                detail: "\(request.uri.path) is for the portal server: send Authorization: Bearer <key>",
                headers: [.wwwAuthenticate: "Bearer realm=\"qari\""])
        }
        return try await next(request, context)
    }
}

/// The widget routes' group: per-client token buckets for requests, and for new readings.
struct WidgetLimits: RouterMiddleware {
    typealias Context = QariContext
    let configuration: AccessConfiguration
    let metrics: QariMetrics?
    let readings: RateLimiter
    let requests: RateLimiter
    /// Reports per client, counted under a daily salted hash of the client (`ReportClients`).
    let reports: RateLimiter
    let reportClients = ReportClients()

    init(configuration: AccessConfiguration, metrics: QariMetrics?) {
        self.configuration = configuration
        self.metrics = metrics
        readings = RateLimiter(perMinute: configuration.readingsPerMinute, burst: configuration.readingsBurst)
        requests = RateLimiter(perMinute: configuration.requestsPerMinute, burst: configuration.requestsBurst)
        reports = RateLimiter(perHour: configuration.reportsPerHour)
    }

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        if let wait = requests.take(context.client) {
            metrics?.refused("requests")
            throw AccessMiddleware.tooMany(
                "more than \(configuration.requestsPerMinute) requests a minute", retry: wait)
        }
        if request.method == .post, Route.matching(request.uri.path) == .readings,
            let wait = readings.take(context.client)
        {
            metrics?.refused("readings")
            throw AccessMiddleware.tooMany(
                "more than \(configuration.readingsPerMinute) new readings a minute", retry: wait)
        }
        if request.method == .post, Route.matching(request.uri.path) == .reports,
            let wait = reports.take(reportClients.key(context.client))
        {
            metrics?.refused("reports")
            throw AccessMiddleware.tooMany(
                "more than \(configuration.reportsPerHour) pronunciation reports an hour", retry: wait)
        }
        return try await next(request, context)
    }
}

/// An IP address or an IPv4 CIDR range.
struct IPRange: Sendable {
    let address: [UInt8]
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = Self.parse(String(parts[0])) else { return nil }
        let bits = address.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : bits
        guard let prefix, (0...bits).contains(prefix) else { return nil }
        self.address = address
        self.prefix = prefix
    }

    func contains(_ text: String) -> Bool {
        guard let other = Self.parse(text), other.count == address.count else { return false }
        var left = prefix
        for (a, b) in zip(address, other) where left > 0 {
            let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
            if a & mask != b & mask { return false }
            left -= 8
        }
        return true
    }

    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
