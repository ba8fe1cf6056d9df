import Synchronization

/// Token buckets, one per client: `take` answers nil when a token was there, else how long until one is.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }
    let perSecond: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int, burst: Int) {
        self.perSecond = Double(max(1, perMinute)) / 60
        self.burst = Double(max(1, burst))
    }

    /// `perHour` in a burst, then one every `3600 / perHour` seconds.
    init(perHour: Int) {
        self.perSecond = Double(max(1, perHour)) / 3600
        self.burst = Double(max(1, perHour))
    }

    func take(_ client: String, now: ContinuousClock.Instant = .now) -> Duration? {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer {
                buckets[client] = bucket
                // Clients long quiet have full buckets: forgetting them changes nothing.
                if buckets.count > 100_000 {
                    buckets = buckets.filter { now - $0.value.updated < .seconds(burst / perSecond) }
                }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return .milliseconds(Int(((1 - bucket.tokens) / perSecond * 1000).rounded(.up)))
        }
    }
}
