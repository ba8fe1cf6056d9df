import Hummingbird
import Synchronization

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

/// Every route group's first middleware: at most `limit` requests of one client answered at once; a streamed
/// answer holds its slot until its body is written.
struct ConcurrencyLimit: RouterMiddleware {
    typealias Context = QariContext
    let inFlight: InFlight
    let limit: Int
    let metrics: QariMetrics?

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        let client = context.client
        guard inFlight.enter(client, limit: limit) else {
            metrics?.refused("concurrent")
            throw Problem.tooMany("more than \(limit) requests at once", retry: .seconds(1))
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            inFlight.leave(client)
            throw error
        }
        let inFlight = self.inFlight
        return response.whenWritten { _, _ in inFlight.leave(client) }
    }
}
