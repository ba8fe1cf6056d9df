import Dispatch
import Glibc
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import QariReading
import QariSpeech
import QariText
import QariWorkers
import ServiceLifecycle

/// Builds the Qari daemon: the worker pools, every route, and the HTTP server.
///
/// The pools are started before the server listens, and stop after it in a graceful shutdown, so requests in
/// flight at SIGTERM finish.
///
/// `lexicons` gives the lexicon files again on SIGHUP (the daemon's settings read anew, so a file added to the
/// configuration is read too); by default the files of `configuration`.
///
/// `warming` makes the service that warms `configuration.warm.sitemap` (the `qari` command's, which fetches pages).
public func buildApplication(
    configuration: ServerConfiguration, logger: Logger = Logger(label: "qari"),
    lexicons lexiconFiles: (@Sendable () async throws -> [String])? = nil,
    warming: (@Sendable (Readings) -> any Service)? = nil
) async throws -> some ApplicationProtocol {
    // The stores first: one that cannot be written stops the start before any worker runs.
    let store = try configuration.cache.directory.map {
        try ReadingStore(directory: $0, limit: configuration.cache.limit, logger: logger)
    }
    if let store {
        let stats = await store.statistics()
        logger.info(
            "reading cache",
            metadata: ["directory": "\(store.directory)", "readings": "\(stats.entries)", "bytes": "\(stats.bytes)"])
    }
    let reports = try configuration.reports.path.flatMap { $0.isEmpty ? nil : $0 }.map {
        try ReportStore(path: $0, limit: configuration.reports.limit, logger: logger)
    }
    if let reports { logger.info("pronunciation reports", metadata: ["path": "\(reports.path)"]) }
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
    let lexicons = LexiconStore(try LexiconSet(paths: configuration.lexicons))
    if !configuration.lexicons.isEmpty {
        logger.info(
            "lexicons",
            metadata: ["files": "\(configuration.lexicons)", "fingerprint": "\(lexicons.current.fingerprint)"])
    }
    let readings = Readings(
        speaker: Speaker(pool: pool, diacritizer: diacritizer, lexicons: lexicons), pages: pages, store: store,
        reports: reports, versions: .current(diacritizer: configuration.diacritizer),
        privateLimits: configuration.privacy.limits, logger: logger)
    if configuration.access.apiKeys.isEmpty {
        logger.warning("no API keys: the portal's routes (/v1/speech, /v1/read, /v1/transform) are open to any caller")
    }
    let router = buildRouter(readings: readings, configuration: configuration, logger: logger)
    let limits = configuration.connections
    let head = TimeAmount.milliseconds(Int64(limits.headerTimeout * 1000))
    let body = TimeAmount.milliseconds(Int64(limits.bodyTimeout * 1000))
    var http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [RequestDeadlines(head: head, body: body)],
        idleTimeout: .milliseconds(Int64(limits.idleTimeout * 1000)))
    http1.httpDecoder.maxHeaderFieldSize = limits.maxHeaderBytes
    http1.httpDecoder.maxHeaderListSize = limits.maxHeaderBytes
    var app = Application(
        responder: router.buildResponder(), server: .http1(configuration: http1),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "qari"),
        logger: logger)
    let files = configuration.lexicons
    app.addServices(
        pool, pagePool, LexiconReloader(files: lexiconFiles ?? { files }, store: lexicons, logger: logger))
    if let diacritizer { app.addServices(diacritizer.pool) }
    if configuration.warm.sitemap != nil, let warming { app.addServices(warming(readings)) }
    return app
}

/// All routes of the daemon, in one place.
public func buildRouter(
    readings: Readings, configuration: ServerConfiguration, logger: Logger = Logger(label: "qari")
) -> Router<QariContext> {
    let router = Router(context: QariContext.self)
    let metrics = configuration.metrics ? QariMetrics() : nil
    let access = configuration.access
    router.middlewares.add(
        RequestLog(identity: RequestIdentity(trustedProxies: access.trustedProxies), metrics: metrics, logger: logger))
    router.middlewares.add(ProblemMiddleware())
    router.middlewares.add(Unrouted())
    RouteGroups.refuseOtherMethods(router, cors: CORSPolicy(origins: access.corsOrigins))
    // One group per access class, each with its class's middleware; every path is declared once, in `Route`.
    let groups = RouteGroups(router, access: access, metrics: metrics)
    if let metrics { MetricsRoutes(metrics: metrics, readings: readings).add(to: groups) }
    HealthRoutes(readings: readings).add(to: groups)
    SpeechRoutes(speaker: readings.speaker, configuration: configuration).add(to: groups)
    ReadRoutes(readings: readings, configuration: configuration).add(to: groups)
    ReadingRoutes(readings: readings, configuration: configuration).add(to: groups)
    FieldRoutes(pages: readings.pages, configuration: configuration).add(to: groups)
    TransformRoutes(pages: readings.pages, configuration: configuration).add(to: groups)
    ReportRoutes(readings: readings, metrics: metrics).add(to: groups)
    EventRoutes(metrics: metrics).add(to: groups)
    WidgetRoutes(configuration: configuration).add(to: groups)
    ContractRoutes(path: configuration.openAPIDocument).add(to: groups)
    return router
}

/// Reads the lexicons again on SIGHUP, from the files the settings name then; a file that fails to load (or
/// settings that fail to read) leaves the lexicons in use as they were.
struct LexiconReloader: Service {
    let files: @Sendable () async throws -> [String]
    let store: LexiconStore
    let logger: Logger

    func run() async throws {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        let (hangups, continuation) = AsyncStream<Void>.makeStream()
        source.setEventHandler { continuation.yield() }
        source.resume()
        defer { source.cancel() }
        await withGracefulShutdownHandler {
            for await _ in hangups {
                await reload()
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    /// Replaces the lexicons when every file reads; logs what happened either way.
    func reload() async {
        do {
            let paths = try await files()
            let set = try LexiconSet(paths: paths)
            store.replace(with: set)
            logger.notice("lexicons reloaded", metadata: ["files": "\(paths)", "fingerprint": "\(set.fingerprint)"])
        } catch {
            logger.error(
                "lexicon reload refused; the lexicons in use are kept", metadata: ["error": "\(error)"])
        }
    }
}
