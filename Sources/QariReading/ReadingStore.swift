import Foundation
import Glibc
import Logging

/// Finished readings on disk: a folder per reading, written whole or not at all, bounded in size, least
/// recently used first out, kept across restarts.
///
/// Each folder's `complete` marker, written last, lists its files' SHA-256: a file is served only when listed and
/// its bytes match (checked once per change of the file), else the reading is removed and made again. A write the
/// disk refuses leaves the store degraded (readings are then served from memory) until a later write succeeds.
public actor ReadingStore {
    public struct Statistics: Sendable, Equatable, Codable {
        public var entries: Int
        public var bytes: Int
        public var limit: Int
        public var hits: Int
        public var misses: Int
        public var evictions: Int
        /// Stored files found cut off, altered or missing (each removed, its reading made again).
        public var damaged: Int
        /// "ok", or "degraded" while the disk refuses the store's writes.
        public var state: String
        /// Why the last write failed, while degraded.
        public var reason: String?
    }

    /// The folder that holds a folder per reading.
    public nonisolated let directory: String
    /// The most bytes the store keeps.
    public nonisolated let limit: Int
    private var entries: [String: (bytes: Int, used: Double)] = [:]
    private var total = 0
    private var hits = 0
    private var misses = 0
    private var evictions = 0
    private var serial = 0
    private var damaged = 0
    /// The stamp of each file (`ID/name`) when its checksum was last found right.
    private var verified: [String: FileStamp] = [:]
    private var health: CacheHealth

    /// Opens (or creates) the store at `directory`; half-written folders of an earlier crash, and readings of the
    /// old format (without checksums), are removed. Throws `StoreUnwritable` when the folder cannot be written.
    public init(directory: String, limit: Int, logger: Logger = Logger(label: "qari.cache")) throws {
        self.directory = directory
        self.limit = max(0, limit)
        health = CacheHealth(logger: logger)
        do {
            try makeFolders(directory + "/plans")
            // An empty file: a full disk still lets the daemon start (and serve, degraded); a read-only one does not.
            let probe = directory + "/probe.tmp\(getpid())-0"
            let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw StoreWriteFailed(directory) }
            close(fd)
            unlink(probe)
        } catch {
            throw StoreUnwritable(.readingCache, path: directory, reason: "\(error)")
        }
        var oldFormat = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            guard Self.isID(name) else {
                // A folder that was being written when its daemon stopped: never served. Several daemons may share
                // the folder: one still running (its pid is in the name) is left to finish.
                if Self.isOrphan(name) { try? FileManager.default.removeItem(atPath: path) }
                continue
            }
            var info = stat()
            guard stat(path + "/complete", &info) == 0 else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            // Written before files carried checksums: nothing in it can be trusted, so it is made again.
            if EntryManifest.parse(FileManager.default.contents(atPath: path + "/complete")).isEmpty {
                try? FileManager.default.removeItem(atPath: path)
                oldFormat += 1
                continue
            }
            let bytes = Self.size(of: path)
            entries[name] = (bytes, Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
            total += bytes
        }
        // Plans of readings nobody listened to for a month go.
        let plans = directory + "/plans"
        let month = Date().timeIntervalSince1970 - 30 * 86400
        for name in (try? FileManager.default.contentsOfDirectory(atPath: plans)) ?? [] {
            var info = stat()
            if stat(plans + "/" + name, &info) == 0, Double(info.st_mtim.tv_sec) < month || Self.isOrphan(name) {
                unlink(plans + "/" + name)
            }
        }
        if oldFormat > 0 {
            logger.notice(
                "cached readings without checksums removed: they are made again when asked for",
                metadata: ["readings": "\(oldFormat)"])
        }
    }

    /// Whether `name` is a reading id (64 hex digits).
    public nonisolated static func isID(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A temporary folder (`ID.tmpPID-N`) whose daemon is gone.
    nonisolated static func isOrphan(_ name: String) -> Bool {
        guard let range = name.range(of: ".tmp") else { return false }
        let pid = name[range.upperBound...].prefix { $0.isNumber }
        guard let number = Int32(pid) else { return true }
        return number != getpid() && kill(number, 0) != 0 && errno == ESRCH
    }

    /// Whether the reading is on disk, as this daemon or another that shares the folder left it: a reading another
    /// daemon stored is taken in, one another daemon evicted is let go.
    private func present(_ id: String) -> Bool {
        let path = directory + "/" + id
        let complete = access(path + "/complete", F_OK) == 0
        if complete, entries[id] == nil, Self.isID(id) {
            let bytes = Self.size(of: path)
            entries[id] = (bytes, Date().timeIntervalSince1970)
            total += bytes
        } else if !complete, let entry = entries.removeValue(forKey: id) {
            total -= entry.bytes
            forget(id)
        }
        return complete
    }

    /// Where a reading's file is within `directory`.
    public nonisolated static func relative(_ id: String, _ name: String) -> String { id + "/" + name }

    /// The path of a finished reading's file, counted as a use; nil (a miss) when the reading is not stored.
    public func file(_ id: String, _ name: String) -> String? {
        guard present(id), let path = sound(id, name) else {
            misses += 1
            return nil
        }
        hits += 1
        touch(id)
        return path
    }

    /// Adds a file to a stored reading (an MP3 made after it, when someone asked for one): written beside it, then
    /// renamed in, then listed in the marker (rewritten the same way), so it is whole and listed or never served.
    /// Nothing is written when the reading is not stored.
    public func add(_ id: String, _ name: String, _ bytes: [UInt8]) throws {
        let folder = directory + "/" + id
        let path = directory + "/" + Self.relative(id, name)
        var sums = EntryManifest.parse(FileManager.default.contents(atPath: folder + "/complete"))
        guard present(id), !sums.isEmpty, sums[name] == nil, name != "complete", bytes.count <= limit else { return }
        sums[name] = ContentHash.sha256(bytes)
        serial += 1
        let temporary = path + ".tmp\(getpid())-\(serial)"
        let marker = folder + "/complete.tmp\(getpid())-\(serial)"
        do {
            try Self.write(bytes, to: temporary)
            guard rename(temporary, path) == 0 else { throw StoreWriteFailed(path) }
            try Self.write(EntryManifest.text(sums), to: marker)
            guard rename(marker, folder + "/complete") == 0 else { throw StoreWriteFailed(folder + "/complete") }
            syncFolder(folder)
        } catch {
            unlink(temporary)
            unlink(marker)
            health.failed(error)
            throw error
        }
        health.succeeded()
        if let entry = entries[id] { entries[id] = (entry.bytes + bytes.count, Date().timeIntervalSince1970) }
        total += bytes.count
        evict(keeping: id)
    }

    /// A stored file's bytes, checked, without counting a use.
    public func read(_ id: String, _ name: String) -> Data? {
        guard present(id), sound(id, name) != nil else { return nil }
        return FileManager.default.contents(atPath: directory + "/" + Self.relative(id, name))
    }

    /// A stored file's bytes, checked, counted as a use of its entry (for eviction) but not as a reading's hit.
    public func use(_ id: String, _ name: String) -> Data? {
        guard let data = read(id, name) else { return nil }
        touch(id)
        return data
    }

    /// Whether a reading is stored.
    public func contains(_ id: String) -> Bool { present(id) }

    /// Keeps what a reading will say from the moment it is asked for, so any daemon sharing this folder can make
    /// and serve it (`plans/ID.json`, written whole or not at all).
    public func savePlan(_ id: String, _ data: [UInt8]) {
        guard Self.isID(id) else { return }
        let path = directory + "/plans/" + id + ".json"
        guard access(path, F_OK) != 0 else { return }
        serial += 1
        let temporary = path + ".tmp\(getpid())-\(serial)"
        do {
            try Self.write(data, to: temporary)
            guard rename(temporary, path) == 0 else { throw StoreWriteFailed(path) }
            syncFolder(directory + "/plans")
        } catch {
            unlink(temporary)
            health.failed(error)
        }
    }

    /// A reading's plan: the stored reading's, else the one kept when it was asked for.
    public func plan(_ id: String) -> Data? {
        guard Self.isID(id) else { return nil }
        return read(id, "plan.json") ?? FileManager.default.contents(atPath: directory + "/plans/" + id + ".json")
    }

    /// Stores a finished reading's files: written into a temporary folder, then renamed, so a crash never leaves a
    /// half reading that is served later. Older readings are evicted to stay within the limit.
    public func save(_ id: String, files: [String: [UInt8]]) throws {
        guard !present(id) else { return }
        let bytes = files.values.reduce(0) { $0 + $1.count }
        guard bytes <= limit else { return }
        serial += 1
        let temporary = directory + "/" + id + ".tmp\(getpid())-\(serial)"
        do {
            guard mkdir(temporary, 0o755) == 0 else { throw StoreWriteFailed(temporary) }
            var sums: [String: String] = [:]
            for (name, content) in files.sorted(by: { $0.key < $1.key }) {
                try Self.write(content, to: temporary + "/" + name)
                sums[name] = ContentHash.sha256(content)
            }
            // The marker, with every file's checksum, is written last: a folder without it is incomplete.
            try Self.write(EntryManifest.text(sums), to: temporary + "/complete")
            syncFolder(temporary)
            guard rename(temporary, directory + "/" + id) == 0 else {
                // Another daemon sharing the folder stored the same reading first: theirs is as good.
                if (errno == ENOTEMPTY || errno == EEXIST), present(id) {
                    try? FileManager.default.removeItem(atPath: temporary)
                    return
                }
                throw StoreWriteFailed(directory + "/" + id)
            }
            syncFolder(directory)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            health.failed(error)
            throw error
        }
        health.succeeded()
        entries[id] = (bytes, Date().timeIntervalSince1970)
        total += bytes
        evict(keeping: id)
    }

    /// What the store holds and how it was used.
    public func statistics() -> Statistics {
        Statistics(
            entries: entries.count, bytes: total, limit: limit, hits: hits, misses: misses, evictions: evictions,
            damaged: damaged, state: health.reason == nil ? "ok" : "degraded", reason: health.reason)
    }

    /// The path of a stored file whose bytes match the checksum its marker lists; nil when it is not listed (or
    /// the marker has none). A listed file that is missing or does not match is damage: the reading is removed.
    private func sound(_ id: String, _ name: String) -> String? {
        let folder = directory + "/" + id
        let path = folder + "/" + name
        let key = Self.relative(id, name)
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists, verified[key] == FileStamp(info) { return path }
        let sums = EntryManifest.parse(FileManager.default.contents(atPath: folder + "/complete"))
        guard let expected = sums[name] else {
            // An MP3 renamed in whose listing a crash cut off: never served, made again.
            if exists, !sums.isEmpty, name != "complete" { unlink(path) }
            return nil
        }
        guard exists, let data = FileManager.default.contents(atPath: path) else {
            damage(id, name, problem: "missing")
            return nil
        }
        guard ContentHash.sha256(Array(data)) == expected else {
            damage(id, name, problem: "checksum mismatch")
            return nil
        }
        verified[key] = FileStamp(info)
        return path
    }

    /// A stored file was cut off, altered or deleted: logged (the reading and the file, never what it says), the
    /// reading removed, to be made again when next asked for.
    private func damage(_ id: String, _ name: String, problem: String) {
        damaged += 1
        health.logger.warning(
            "a cached reading was damaged: removed, it is made again",
            metadata: ["id": "\(id)", "file": "\(name)", "problem": "\(problem)"])
        serial += 1
        let gone = directory + "/" + id + ".tmp\(getpid())-\(serial)"
        if rename(directory + "/" + id, gone) == 0 { try? FileManager.default.removeItem(atPath: gone) }
        if let entry = entries.removeValue(forKey: id) { total -= entry.bytes }
        forget(id)
    }

    private func forget(_ id: String) {
        for name in verified.keys where name.hasPrefix(id + "/") { verified[name] = nil }
    }

    private func touch(_ id: String) {
        let now = Date().timeIntervalSince1970
        entries[id]?.used = now
        // The folder's time carries the order of use across restarts.
        let path = directory + "/" + id + "/complete"
        _ = utimes(path, nil)
    }

    private func evict(keeping kept: String) {
        while total > limit {
            guard
                let (victim, entry) = entries.filter({ $0.key != kept }).min(by: { $0.value.used < $1.value.used })
            else { break }
            // Renamed first, so a daemon sharing the folder never sees half a reading.
            serial += 1
            let gone = directory + "/" + victim + ".tmp\(getpid())-\(serial)"
            if rename(directory + "/" + victim, gone) == 0 { try? FileManager.default.removeItem(atPath: gone) }
            entries[victim] = nil
            forget(victim)
            total -= entry.bytes
            evictions += 1
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreWriteFailed(path) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreWriteFailed(path)
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw StoreWriteFailed(path) }
    }

    private static func size(of folder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.reduce(0) { sum, name in
            var info = stat()
            return sum + (stat(folder + "/" + name, &info) == 0 ? Int(info.st_size) : 0)
        }
    }
}
