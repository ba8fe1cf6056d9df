import Hummingbird
import Logging
import QariSpeech

/// The answer of `GET /health`.
struct Health: ResponseEncodable {
    var status: String
    var pool: WorkerPoolStatus
}

/// Builds the Qari daemon: the worker pool, every route, and the HTTP server.
///
/// The pool is started before the server listens, and stops after it in a graceful shutdown, so requests in
/// flight at SIGTERM finish.
public func buildApplication(
    configuration: ServerConfiguration, logger: Logger = Logger(label: "qari")
) async throws -> some ApplicationProtocol {
    let pool = WorkerPool(configuration: configuration.pool, logger: logger)
    try await pool.start()
    let router = buildRouter(pool: pool, configuration: configuration)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "qari"),
        logger: logger)
    app.addServices(pool)
    return app
}

/// All routes of the daemon, in one place.
public func buildRouter(pool: WorkerPool, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
    let router = Router()
    router.middlewares.add(ProblemMiddleware())
    router.get("health") { _, _ in
        let status = await pool.status()
        let ready = status.accepting && status.workers.contains { $0.state == "idle" || $0.state == "busy" }
        return try jsonResponse(
            Health(status: ready ? "ok" : "degraded", pool: status), status: ready ? .ok : .serviceUnavailable)
    }
    SpeechRoutes(speaker: Speaker(pool: pool), configuration: configuration).add(to: router)
    return router
}
