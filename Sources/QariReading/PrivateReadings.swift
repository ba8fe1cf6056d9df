import Foundation

/// How long and how much of citizens' own pages is kept: in memory only, never in the store.
public struct PrivateLimits: Sendable, Equatable {
    /// A private reading nobody has asked for in this long is dropped.
    public var ttl: Duration
    /// The most bytes (audio, marks and text) private readings may hold together; the least recently used go first.
    public var memory: Int
    /// This daemon's name, ending each private id, so that a proxy in front of several daemons sends a private
    /// reading's requests back to the one whose memory holds it (nil: ids end with the random digits).
    public var instance: String?

    public init(ttl: Duration = .seconds(600), memory: Int = 256 << 20, instance: String? = nil) {
        self.ttl = ttl
        self.memory = memory
        self.instance = instance
    }

    /// Whether `name` may end a private id: 1 to 32 lowercase ASCII letters and digits.
    public static func isInstance(_ name: String) -> Bool {
        (1...32).contains(name.utf8.count)
            && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7a).contains($0) }
    }
}

/// What `/metrics` and `/health` say of private readings: counts and bytes, never an id or a word.
public struct PrivateStatistics: Sendable, Equatable, Codable {
    public var readings: Int
    public var bytes: Int
    public var created: Int
    /// Dropped after `ttl` unused.
    public var expired: Int
    /// Dropped to stay within the memory bound.
    public var evicted: Int
}

/// The private readings held in memory, by their random ids.
///
/// A private reading's id is random (160 bits from the system's generator), never a content hash: a hash would let
/// anyone who can guess a citizen's page confirm what it says, and would outlive the page in logs and caches.
struct PrivateReadings {
    struct Entry {
        var reading: Reading
        var used: ContinuousClock.Instant
    }

    let limits: PrivateLimits
    private(set) var entries: [String: Entry] = [:]
    private(set) var created = 0
    private(set) var expired = 0
    private(set) var evicted = 0

    init(limits: PrivateLimits) { self.limits = limits }

    /// A new random id: `p` and 40 hex digits, then `-` and the daemon's name when it has one.
    static func newID(instance: String? = nil) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
        return "p" + digits.joined() + (instance.map { "-" + $0 } ?? "")
    }

    /// Whether `name` has the form of a private reading's id (of this daemon or another).
    static func isID(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 41, bytes[0] == UInt8(ascii: "p"),
            bytes[1..<41].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return false }
        guard bytes.count > 41 else { return true }
        return bytes[41] == UInt8(ascii: "-") && PrivateLimits.isInstance(String(decoding: bytes[42...], as: UTF8.self))
    }

    mutating func add(_ reading: Reading, now: ContinuousClock.Instant = .now) {
        entries[reading.id] = Entry(reading: reading, used: now)
        created += 1
    }

    /// The reading, counted as a use (its time to live starts again).
    mutating func use(_ id: String, now: ContinuousClock.Instant = .now) -> Reading? {
        guard entries[id] != nil else { return nil }
        entries[id]?.used = now
        return entries[id]?.reading
    }

    /// Drops what expired, then the least recently used until all fit in memory (`sizes` gives each reading's
    /// bytes; `keeping`, else the last used, is never dropped for memory); returns the ids dropped.
    ///
    /// A reading `inUse` (being made, or streamed as it is made) is used now: it neither expires nor is evicted
    /// while a listener hears it, so the memory bound can be passed for as long as that lasts.
    mutating func sweep(
        now: ContinuousClock.Instant = .now, keeping: String? = nil, inUse: Set<String> = [], sizes: [String: Int]
    ) -> [String] {
        for id in inUse where entries[id] != nil { entries[id]?.used = now }
        var dropped: [String] = []
        for (id, entry) in entries where now - entry.used >= limits.ttl {
            entries[id] = nil
            expired += 1
            dropped.append(id)
        }
        var sizes = sizes.filter { entries[$0.key] != nil }
        var total = sizes.values.reduce(0, +)
        // The reading in use, or else the last used, stays: a bound smaller than one page still lets it be heard.
        let kept = keeping ?? entries.max(by: { $0.value.used < $1.value.used })?.key
        while total > limits.memory {
            guard
                let (id, _) = entries.filter({ $0.key != kept && !inUse.contains($0.key) })
                    .min(by: { $0.value.used < $1.value.used })
            else { break }
            entries[id] = nil
            total -= sizes.removeValue(forKey: id) ?? 0
            evicted += 1
            dropped.append(id)
        }
        return dropped
    }

    func statistics(bytes: Int) -> PrivateStatistics {
        PrivateStatistics(readings: entries.count, bytes: bytes, created: created, expired: expired, evicted: evicted)
    }
}
