import QariWorkers
import Synchronization

/// A count of speeches being made, with a limit.
public final class Admission: Sendable {
    public let limit: Int
    private let count = Mutex(0)

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Speeches being made now.
    public var current: Int { count.withLock { $0 } }

    func enter() -> Bool {
        count.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func leave() { count.withLock { $0 = max(0, $0 - 1) } }

    /// Runs `make` if a speech may start now, and counts it until its stream ends.
    ///
    /// A page's speech spends the diacritizer and a worker for seconds: admitting only what the workers and the
    /// queue hold keeps the wait of accepted requests bounded, and refuses the rest before anything is spent.
    func admit(
        pool: WorkerPool, _ make: () async throws -> AsyncThrowingStream<SpeechEvent, any Error>
    ) async throws -> AsyncThrowingStream<SpeechEvent, any Error> {
        guard enter() else {
            throw WorkerError.busy(pool: pool.name, queueLimit: pool.configuration.queueLimit)
        }
        let inner: AsyncThrowingStream<SpeechEvent, any Error>
        do { inner = try await make() } catch {
            leave()
            throw error
        }
        let (output, continuation) = AsyncThrowingStream<SpeechEvent, any Error>.makeStream()
        let relay = Task {
            do {
                for try await event in inner { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { [self] _ in
            relay.cancel()
            leave()
        }
        return output
    }
}
