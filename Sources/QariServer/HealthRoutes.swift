import Hummingbird
import QariReading
import QariSpeech
import QariWorkers

/// The answer of `GET /health`: each pool by name, and one word for all.
struct Health: ResponseEncodable {
    /// "ok", or "degraded" when any pool is down (without the diacritizer Arabic is spoken without vowels) or the
    /// cache cannot store readings (they are then served without being kept).
    var status: String
    var speech: WorkerPoolStatus
    var diacritizer: WorkerPoolStatus
    var pages: WorkerPoolStatus
    /// Readings made since start, and the cache of finished ones.
    var readings: ReadingsHealth
}

struct ReadingsHealth: Encodable {
    /// Syntheses started: a reading asked for again costs none.
    var syntheses: Int
    /// The on-disk cache (absent with `--cache-enabled false`); its `state` is "degraded", with a `reason`, while
    /// the disk refuses its writes.
    var cache: ReadingStore.Statistics?
}

/// `GET /health`: 200 while speech works, 503 when it does not.
struct HealthRoutes: Sendable {
    let readings: Readings

    func add(to groups: RouteGroups) {
        groups.on(.health) { _, _ in try await health() }
    }

    func health() async throws -> Response {
        let pools = await readings.poolsStatus()
        let up = [pools.speech, pools.diacritizer, pools.pages].allSatisfy { $0.isUp }
        let cache = await readings.store?.statistics()
        let caching = cache.map { $0.reason == nil } ?? true
        let health = Health(
            status: up && caching ? "ok" : "degraded", speech: pools.speech, diacritizer: pools.diacritizer,
            pages: pools.pages, readings: ReadingsHealth(syntheses: await readings.syntheses, cache: cache))
        // Speech without restored vowels, or without pages, still works: only dead speech makes the daemon unavailable.
        return try jsonResponse(health, status: pools.speech.isUp ? .ok : .serviceUnavailable)
    }
}
