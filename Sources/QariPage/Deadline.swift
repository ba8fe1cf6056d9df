import Glibc

/// A monotonic-clock deadline.
struct Deadline: Sendable {
    let end: UInt64
    let milliseconds: Int

    init(milliseconds: Int) {
        self.milliseconds = milliseconds
        end = Self.now() + UInt64(milliseconds) * 1_000_000
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    var passed: Bool { Self.now() > end }
}
