import Foundation
import GRDB
import Logging
import Synchronization

/// Reports in one SQLite file: WAL, shared by the daemons of a host, bounded (the oldest go first), never evicted
/// like the reading cache. A file that is not a sound database is moved aside and a new one started.
public final class ReportStore: Sendable {
    /// The file.
    public let path: String
    /// The most reports kept; past it the oldest go.
    public let limit: Int
    /// The most reports kept unless set (`reports.max`).
    public static let defaultLimit = 100_000
    private let pool: DatabasePool
    private let dropped = Mutex(0)

    /// Opens (or creates) the store at `path`; a corrupt file is logged and moved aside to `path.corrupt-TIME`
    /// (unless `repair` is false: then opening it throws, and the file is left as it is). A file or folder that
    /// cannot be written throws `StoreUnwritable`.
    public init(
        path: String, limit: Int = ReportStore.defaultLimit, repair: Bool = true,
        logger: Logger = Logger(label: "qari.reports")
    ) throws {
        self.path = path
        self.limit = max(1, limit)
        // A bare file name (`--reports-db reports.sqlite`) is in the current folder, which exists.
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty { try makeFolders(folder) }
        } catch {
            throw StoreUnwritable(.reports, path: path, reason: "\(error)")
        }
        do {
            pool = try Self.open(path)
        } catch let error as DatabaseError where ![.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            // Not a damaged file but one that cannot be opened or written: moving it aside would not help.
            throw StoreUnwritable(.reports, path: path, reason: error.message ?? "\(error.resultCode)")
        } catch  where repair {
            let aside = path + ".corrupt-" + String(Int(Date().timeIntervalSince1970))
            logger.error(
                "the reports database is not sound: moved aside, a new one started",
                metadata: ["path": "\(path)", "moved-to": "\(aside)", "error": "\(error)"])
            try FileManager.default.moveItem(atPath: path, toPath: aside)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            pool = try Self.open(path)
        }
    }

    private static func open(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        // Two daemons on one host write the same file: a writer waits for the other instead of failing.
        configuration.busyMode = .timeout(10)
        // WAL with synchronous NORMAL: a commit survives the daemon's crash; only a power cut may lose the last
        // reports, and a write does not wait for the disk.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? ""
            guard check == "ok" else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: check) }
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS reports (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        created INTEGER NOT NULL,
                        reading TEXT NOT NULL,
                        passage INTEGER NOT NULL,
                        start INTEGER NOT NULL,
                        "end" INTEGER NOT NULL,
                        word TEXT NOT NULL,
                        voice TEXT NOT NULL,
                        phonemes TEXT NOT NULL,
                        context TEXT NOT NULL,
                        note TEXT NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS reports_voice_word ON reports(voice, word);
                    """)
        }
        return pool
    }

    /// Stores `report` and gives it its id; past the limit, the oldest reports go (counted in `dropped`).
    /// A full or failing disk throws `StoreUnavailable` (the report is not kept; a later one may be).
    public func add(_ report: Report) throws -> Report {
        var report = report
        let removed: Int
        do {
            removed = try pool.write { db -> Int in
                try report.insert(db)
                try db.execute(
                    sql: "DELETE FROM reports WHERE id <= (SELECT MAX(id) FROM reports) - ?", arguments: [limit])
                return db.changesCount
            }
        } catch let error as DatabaseError where [.SQLITE_FULL, .SQLITE_IOERR].contains(error.resultCode) {
            throw StoreUnavailable(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        if removed > 0 { dropped.withLock { $0 += removed } }
        return report
    }

    /// Reports dropped by this process because the store was full.
    public var droppedCount: Int { dropped.withLock { $0 } }

    /// The newest reports first, of one voice or all.
    public func recent(voice: String? = nil, limit: Int = 100) throws -> [Report] {
        try pool.read { db in
            var request = Report.order(Column("id").desc).limit(limit)
            if let voice { request = request.filter(Column("voice") == voice) }
            return try request.fetchAll(db)
        }
    }

    /// Every report, oldest first (for `qari reports`).
    public func all() throws -> [Report] {
        try pool.read { db in try Report.order(Column("id")).fetchAll(db) }
    }

    /// How many reports the file holds.
    public func count() throws -> Int {
        try pool.read { db in try Report.fetchCount(db) }
    }

    /// A whole copy of the reports at `path` (replaced), consistent while daemons write: a plain file copy of a WAL
    /// database misses what is still in its `-wal` file.
    public func copy(to path: String) throws {
        func resolved(_ p: String) -> String {
            URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path
        }
        guard resolved(path) != resolved(self.path) else { throw CopyOntoItself(path: path) }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        try pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
    }
}

/// Why a reports database cannot be copied where asked: the copy would replace the database itself.
public struct CopyOntoItself: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path) is the database itself" }
}
