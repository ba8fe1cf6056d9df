import QariWorkers

/// The three worker pools behind readings, by name.
public struct PoolsStatus: Sendable {
    public var speech: WorkerPoolStatus
    public var diacritizer: WorkerPoolStatus
    public var pages: WorkerPoolStatus

    /// Every pool that exists (an absent diacritizer or in-process pages are not listed).
    public var present: [WorkerPoolStatus]
}
