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
}

/// `GET /health`: 200 while speech works, 503 when it does not.
struct HealthRoutes: Sendable {
    let speaker: Speaker
    let pages: PageService

    func add(to router: Router<BasicRequestContext>) {
        router.get("health") { _, _ in try await health() }
    }

    func health() async throws -> Response {
        let speech = await speaker.pool.status()
        let diacritizer = await speaker.diacritizer?.pool.status() ?? .absent("diacritizer")
        let pageStatus = await pages.pool?.status() ?? .absent("pages")
        let up = [speech, diacritizer, pageStatus].allSatisfy { $0.isUp }
        let health = Health(
            status: up ? "ok" : "degraded", speech: speech, diacritizer: diacritizer, pages: pageStatus)
        // Speech without restored vowels, or without pages, still works: only dead speech makes the daemon unavailable.
        return try jsonResponse(health, status: speech.isUp ? .ok : .serviceUnavailable)
    }
}
