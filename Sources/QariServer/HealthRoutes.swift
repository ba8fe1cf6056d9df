import Hummingbird
import QariReading
import QariSpeech
import QariWorkers

/// The answer of `GET /health`: each pool by name, and one word for all.
struct Health: ResponseEncodable {
    /// "ok", or "degraded" when any pool is down (without the diacritizer Arabic is spoken without vowels).
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
    /// The on-disk cache (absent with `--cache-enabled false`).
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
        let health = Health(
            status: up ? "ok" : "degraded", speech: pools.speech, diacritizer: pools.diacritizer, pages: pools.pages,
            readings: ReadingsHealth(syntheses: await readings.syntheses, cache: await readings.store?.statistics()))
        // Speech without restored vowels, or without pages, still works: only dead speech makes the daemon unavailable.
        return try jsonResponse(health, status: pools.speech.isUp ? .ok : .serviceUnavailable)
    }
}
