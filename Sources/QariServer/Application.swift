import Hummingbird
import Logging
import QariSpeech

/// The answer of `GET /health`.
struct Health: ResponseEncodable {
    var status: String
    var pool: WorkerPoolStatus
    /// The Arabic diacritizer: "ok", or "down" (Arabic is then spoken without restored vowels).
    var diacritizer: DiacritizerHealth
    /// The page workers (reading and transforms).
    var pages: WorkerPoolStatus
}

struct DiacritizerHealth: Encodable {
    var status: String
    var pool: WorkerPoolStatus?
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
    let diacritizer = configuration.diacritizer.map {
        Diacritizer.local(location: $0, workers: configuration.diacritizerWorkers, logger: logger)
    }
    if let diacritizer {
        await diacritizer.start()
    } else {
        logger.error("Arabic diacritizer not found (no .venv beside the build): Arabic is spoken without vowels")
    }
    let pagePool = WorkerPool(configuration: configuration.pagePool, logger: logger)
    try await pagePool.start()
    let pages = PageService(pool: pagePool, options: configuration.page)
    let router = buildRouter(
        speaker: Speaker(pool: pool, diacritizer: diacritizer), pages: pages, configuration: configuration)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "qari"),
        logger: logger)
    app.addServices(pool, pagePool)
    if let diacritizer { app.addServices(diacritizer.pool) }
    return app
}

/// All routes of the daemon, in one place.
public func buildRouter(speaker: Speaker, pages: PageService, configuration: ServerConfiguration)
    -> Router<BasicRequestContext>
{
    let router = Router()
    router.middlewares.add(ProblemMiddleware())
    router.get("health") { _, _ in
        let status = await speaker.pool.status()
        let ready = status.accepting && status.workers.contains { $0.state == "idle" || $0.state == "busy" }
        let vowels = await speaker.diacritizer?.isAvailable() ?? false
        let health = Health(
            status: ready && vowels ? "ok" : "degraded", pool: status,
            diacritizer: DiacritizerHealth(
                status: vowels ? "ok" : "down", pool: await speaker.diacritizer?.pool.status()),
            pages: await pages.pool.status())
        // Speech without restored vowels still works: only a dead speech pool makes the daemon unavailable.
        return try jsonResponse(health, status: ready ? .ok : .serviceUnavailable)
    }
    SpeechRoutes(speaker: speaker, configuration: configuration).add(to: router)
    ReadRoutes(speaker: speaker, pages: pages, configuration: configuration).add(to: router)
    TransformRoutes(pages: pages, configuration: configuration).add(to: router)
    return router
}
