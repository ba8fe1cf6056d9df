import Foundation
import Glibc

/// Finished readings on disk: a folder per reading, written whole or not at all, bounded in size, least
/// recently used first out, kept across restarts.
public actor ReadingStore {
    public struct Statistics: Sendable, Equatable, Codable {
        public var entries: Int
        public var bytes: Int
        public var limit: Int
        public var hits: Int
        public var misses: Int
        public var evictions: Int
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

    /// Opens (or creates) the store at `directory`; half-written folders of an earlier crash are removed.
    public init(directory: String, limit: Int) throws {
        self.directory = directory
        self.limit = max(0, limit)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/plans", withIntermediateDirectories: true)
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
        }
        return complete
    }

    /// Where a reading's file is within `directory`.
    public nonisolated static func relative(_ id: String, _ name: String) -> String { id + "/" + name }

    /// The path of a finished reading's file, counted as a use; nil (a miss) when the reading is not stored.
    public func file(_ id: String, _ name: String) -> String? {
        let path = directory + "/" + Self.relative(id, name)
        guard present(id), access(path, F_OK) == 0 else {
            misses += 1
            return nil
        }
        hits += 1
        touch(id)
        return path
    }

    /// Adds a file to a stored reading (an MP3 made after it, when someone asked for one): written beside it, then
    /// renamed in, so it is whole or absent. Nothing is written when the reading is not stored.
    public func add(_ id: String, _ name: String, _ bytes: [UInt8]) throws {
        let path = directory + "/" + Self.relative(id, name)
        guard present(id), access(path, F_OK) != 0, bytes.count <= limit else { return }
        serial += 1
        let temporary = path + ".tmp\(getpid())-\(serial)"
        do {
            try Self.write(bytes, to: temporary)
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            unlink(temporary)
            throw error
        }
        if let entry = entries[id] { entries[id] = (entry.bytes + bytes.count, Date().timeIntervalSince1970) }
        total += bytes.count
        evict(keeping: id)
    }

    /// A stored file's bytes, without counting a use.
    public func read(_ id: String, _ name: String) -> Data? {
        guard present(id) else { return nil }
        return FileManager.default.contents(atPath: directory + "/" + Self.relative(id, name))
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
            if rename(temporary, path) != 0 { unlink(temporary) }
        } catch {
            unlink(temporary)
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
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        do {
            for (name, content) in files.sorted(by: { $0.key < $1.key }) {
                try Self.write(content, to: temporary + "/" + name)
            }
            // The marker is written last: a folder without it is incomplete.
            try Self.write([], to: temporary + "/complete")
            guard rename(temporary, directory + "/" + id) == 0 else {
                // Another daemon sharing the folder stored the same reading first: theirs is as good.
                if (errno == ENOTEMPTY || errno == EEXIST), present(id) {
                    try? FileManager.default.removeItem(atPath: temporary)
                    return
                }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: directory + "/" + id])
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        entries[id] = (bytes, Date().timeIntervalSince1970)
        total += bytes
        evict(keeping: id)
    }

    /// What the store holds and how it was used.
    public func statistics() -> Statistics {
        Statistics(
            entries: entries.count, bytes: total, limit: limit, hits: hits, misses: misses, evictions: evictions)
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
            total -= entry.bytes
            evictions += 1
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: path])
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }

    private static func size(of folder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.reduce(0) { sum, name in
            var info = stat()
            return sum + (stat(folder + "/" + name, &info) == 0 ? Int(info.st_size) : 0)
        }
    }
}
