import QariWorkers
import Synchronization

/// Texts that killed two workers: refused at once, never given to a worker again (the most recent 256).
final class PoisonPills: Sendable {
    private let texts = Mutex<[String]>([])

    func check(_ text: String) throws {
        if texts.withLock({ $0.contains(text) }) {
            throw WorkerError.failed(pool: "speech", message: "this text made the engine crash twice; it is not spoken")
        }
    }

    func add(_ text: String) {
        texts.withLock { list in
            if !list.contains(text) { list.append(text) }
            if list.count > 256 { list.removeFirst() }
        }
    }
}
