import Hummingbird

/// The portal routes' group: an API key (`Authorization: Bearer KEY`), when keys are set.
struct APIKeys: RouterMiddleware {
    typealias Context = QariContext
    let metrics: QariMetrics?
    private let keys: [[UInt8]]

    init(keys: [String], metrics: QariMetrics?) {
        self.metrics = metrics
        self.keys = keys.map { Array($0.utf8) }
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
        guard let given, keys.contains(where: { Self.same($0, given) }) else {
            metrics?.refused("key")
            throw Problem(
                .unauthorized, code: "unauthorized", title: "API key required",
                detail: "\(request.uri.path) is for the portal server: send Authorization: Bearer <key>",
                headers: [.wwwAuthenticate: "Bearer realm=\"qari\""])
        }
        return try await next(request, context)
    }

    /// Keys compared in time that does not depend on where they differ.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }
}
