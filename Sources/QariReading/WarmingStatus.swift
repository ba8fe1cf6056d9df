import Synchronization

/// How the daemon's own warming goes (readings made before anyone asks), for `/metrics`: no page is named.
public final class WarmingStatus: Sendable {
    /// Warms started since the daemon started.
    public let warms = Atomic<Int>(0)
    /// Pages of the warm under way (or of the last one), and how many of them are done.
    public let pages = Atomic<Int>(0)
    public let done = Atomic<Int>(0)
    /// Pages that failed, over every warm.
    public let failed = Atomic<Int>(0)

    public init() {}
}
