import Glibc
import Logging
import QariText
import QariWorkers
import Synchronization

/// The frame kinds of the diacritizer worker (`diacritizer/qari_diacritizer.py` writes the same numbers).
public enum DiacritizerFrameKind: UInt8, FrameKindTable {
    case diacritize = 3
    case diacritized = 16
}

/// Restores the vowel marks of undiacritized Arabic through a diacritizer worker process.
///
/// The model (text2tashkeel's rawi-ensemble, ONNX) runs in Python in `diacritizer/qari_diacritizer.py`, a
/// long-lived worker under the same pool as eSpeak's: timeouts, restarts, and a crash costs one request. When the
/// worker is down, Arabic is still spoken, without restored vowels.
public struct Diacritizer: Sendable {
    public let pool: WorkerPool
    private let logger: Logger
    /// Texts already diacritized: service pages repeat their sentences, and the model is the slow part.
    public let cache: DiacritizedCache

    public init(
        pool: WorkerPool, logger: Logger = Logger(label: "qari.diacritizer"), cache: DiacritizedCache = .init()
    ) {
        self.pool = pool
        self.logger = logger
        self.cache = cache
    }

    /// A diacritizer with the worker found beside this executable (see `DiacritizerLocation`), not yet started.
    public static func local(
        location: DiacritizerLocation? = .find(), workers: Int = 1, timeout: Duration = .seconds(15),
        logger: Logger = Logger(label: "qari.diacritizer")
    ) -> Diacritizer {
        let command =
            location.map { WorkerCommand(executable: $0.python, arguments: [$0.script]) }
            ?? WorkerCommand(executable: "/nonexistent/qari-diacritizer", arguments: [])
        let pool = WorkerPool(
            name: "diacritizer",
            configuration: .init(workers: workers, queueLimit: 256, requestTimeout: timeout, command: command),
            answerEnds: [diacritizedKind], logger: logger)
        return Diacritizer(pool: pool, logger: logger)
    }

    /// Starts the worker; on failure logs why and leaves Arabic undiacritized rather than failing.
    public func start() async {
        do {
            try await pool.start()
        } catch {
            logger.error(
                "Arabic diacritizer unavailable: Arabic will be spoken without restored vowels",
                metadata: ["error": "\(error)"])
        }
    }

    /// Whether a diacritizer worker is running.
    public func isAvailable() async -> Bool {
        await pool.status().isUp
    }

    /// The frame kinds of the diacritizer worker (`diacritizer/qari_diacritizer.py`): a text in, one string per
    /// code point out.
    static let diacritizeKind = DiacritizerFrameKind.diacritize.rawValue
    static let diacritizedKind = DiacritizerFrameKind.diacritized.rawValue

    /// `text` with its Arabic vowels restored, one string per code point: that code point with its marks.
    ///
    /// `urgent`: a listener waits for it (the first sentence of a speech), so it goes before others' later sentences.
    ///
    /// `keep` false: the answer is not kept in the memo (a citizen's own page); a memo entry made for others is used.
    public func units(_ text: String, urgent: Bool = false, keep: Bool = true) async throws -> [String] {
        if !keep {
            if let known = cache.units(for: text) { return known }
            return try await restore(text, urgent: urgent)
        }
        return try await cache.units(for: text) { try await restore(text, urgent: urgent) }
    }

    /// One call to the model.
    private func restore(_ text: String, urgent: Bool) async throws -> [String] {
        var w = ByteWriter()
        w.string(text)
        let answer = try await pool.call(
            kind: Self.diacritizeKind, body: w.bytes, priority: urgent ? .first : .normal)
        var r = ByteReader(answer.body)
        let count = try r.count()
        var units: [String] = []
        units.reserveCapacity(count)
        for _ in 0..<count { units.append(try r.string()) }
        try r.end(answer.kind)
        return units
    }

    /// `text` rewritten with restored vowels, traced back to `text`; nil when the diacritizer failed (logged).
    public func diacritize(_ text: String, urgent: Bool = false, keep: Bool = true) async -> SpokenText? {
        guard text.unicodeScalars.contains(where: isArabicLetter) else { return nil }
        do {
            let units = try await units(text, urgent: urgent, keep: keep)
            guard units.count == text.unicodeScalars.count else {
                logger.warning("diacritizer answered \(units.count) units for \(text.unicodeScalars.count) code points")
                return nil
            }
            return SpokenText(original: text, units: units)
        } catch {
            logger.warning("diacritization failed; speaking without restored vowels", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// Where the diacritizer worker lives: the Python of the repo's venv and the worker script.
public struct DiacritizerLocation: Sendable, Equatable {
    public var python: String
    public var script: String

    public init(python: String, script: String) {
        self.python = python
        self.script = script
    }

    /// `$QARI_HOME` or the first folder above this executable that holds `diacritizer/qari_diacritizer.py` and
    /// `.venv/bin/python3` (a build under `.build/` finds the repo it was built from); else, installed in
    /// `PREFIX/bin`, `PREFIX/lib/qari/diacritizer/` run by `PREFIX/bin/python3` (its modules in `site-packages/`
    /// beside the script, which adds them itself).
    public static func find(executable: String = currentExecutablePath()) -> DiacritizerLocation? {
        var places = qariHomeCandidates(executable: executable).map {
            (script: $0 + "/diacritizer/qari_diacritizer.py", python: $0 + "/.venv/bin/python3")
        }
        if let prefix = installedPrefix(executable: executable) {
            places.append((prefix + "/lib/qari/diacritizer/qari_diacritizer.py", prefix + "/bin/python3"))
        }
        for place in places where access(place.script, R_OK) == 0 && access(place.python, X_OK) == 0 {
            return DiacritizerLocation(python: place.python, script: place.script)
        }
        return nil
    }
}

/// A bounded cache of diacritized texts, least recently used out first; a text being diacritized for one caller is
/// waited for by the others (listeners reporting words of one sentence at once ask the model once).
public final class DiacritizedCache: Sendable {
    struct State {
        var entries: [String: (units: [String], used: UInt64)] = [:]
        var making: [String: Task<[String], any Error>] = [:]
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }
    private let state = Mutex(State())
    /// Most texts kept.
    public let capacity: Int

    public init(capacity: Int = 1024) { self.capacity = max(0, capacity) }

    func units(for text: String) -> [String]? {
        state.withLock { s in
            s.clock += 1
            guard var entry = s.entries[text] else {
                s.misses += 1
                return nil
            }
            s.hits += 1
            entry.used = s.clock
            s.entries[text] = entry
            return entry.units
        }
    }

    /// The units of `text`: kept, being made for another caller, or made now by `make` and kept.
    func units(for text: String, make: @escaping @Sendable () async throws -> [String]) async throws -> [String] {
        if let known = units(for: text) { return known }
        let (making, mine) = state.withLock { s -> (Task<[String], any Error>, Bool) in
            if let other = s.making[text] { return (other, false) }
            let task = Task { try await make() }
            s.making[text] = task
            return (task, true)
        }
        guard mine else { return try await making.value }
        defer { state.withLock { _ = $0.making.removeValue(forKey: text) } }
        let units = try await making.value
        store(units, for: text)
        return units
    }

    func store(_ units: [String], for text: String) {
        guard capacity > 0 else { return }
        state.withLock { s in
            s.clock += 1
            s.entries[text] = (units, s.clock)
            guard s.entries.count > capacity else { return }
            // Out go the least recently used tenth, so that eviction is rare.
            let oldest = s.entries.sorted { $0.value.used < $1.value.used }.prefix(max(1, capacity / 10))
            for (key, _) in oldest { s.entries[key] = nil }
        }
    }

    /// Texts kept, hits and misses so far.
    public var statistics: (entries: Int, hits: Int, misses: Int) {
        state.withLock { ($0.entries.count, $0.hits, $0.misses) }
    }
}
