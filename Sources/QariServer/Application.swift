import Hummingbird
import Logging
import QariReading
import QariSpeech
import QariWorkers

/// Builds the Qari daemon: the worker pools, every route, and the HTTP server.
///
/// The pools are started before the server listens, and stop after it in a graceful shutdown, so requests in
/// flight at SIGTERM finish.
public func buildApplication(
    configuration: ServerConfiguration, logger: Logger = Logger(label: "qari")
) async throws -> some ApplicationProtocol {
    let pool = WorkerPool.speech(configuration.pool, logger: logger)
    try await pool.start()
    let diacritizer = configuration.diacritizer.map {
        Diacritizer.local(location: $0, workers: configuration.diacritizerWorkers, logger: logger)
    }
    if let diacritizer {
        await diacritizer.start()
    } else {
        logger.error("Arabic diacritizer not found (no .venv beside the build): Arabic is spoken without vowels")
    }
    let pagePool = PageWorker.pool(configuration.pagePool, logger: logger)
    try await pagePool.start()
    let pages = PageService(pool: pagePool, options: configuration.page)
    let store = try configuration.cache.directory.map {
        try ReadingStore(directory: $0, limit: configuration.cache.limit)
    }
    if let store {
        let stats = await store.statistics()
        logger.info(
            "reading cache",
            metadata: ["directory": "\(store.directory)", "readings": "\(stats.entries)", "bytes": "\(stats.bytes)"])
    }
    let readings = Readings(
        speaker: Speaker(pool: pool, diacritizer: diacritizer), store: store,
        versions: .current(diacritizer: configuration.diacritizer), logger: logger)
    let router = buildRouter(readings: readings, pages: pages, configuration: configuration)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "qari"),
        logger: logger)
    app.addServices(pool, pagePool)
    if let diacritizer { app.addServices(diacritizer.pool) }
    return app
}

/// All routes of the daemon, in one place.
public func buildRouter(readings: Readings, pages: PageService, configuration: ServerConfiguration)
    -> Router<BasicRequestContext>
{
    let router = Router()
    router.middlewares.add(ProblemMiddleware())
    let speaker = readings.speaker
    HealthRoutes(readings: readings, pages: pages).add(to: router)
    SpeechRoutes(speaker: speaker, configuration: configuration).add(to: router)
    ReadRoutes(readings: readings, pages: pages, configuration: configuration).add(to: router)
    ReadingRoutes(readings: readings, pages: pages, configuration: configuration).add(to: router)
    TransformRoutes(pages: pages, configuration: configuration).add(to: router)
    WidgetRoutes(configuration: configuration).add(to: router)
    return router
}
