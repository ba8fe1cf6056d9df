import Foundation
import Glibc
import Logging

/// A store's folder or file that cannot be written when the daemon starts.
public struct StoreUnwritable: Error, CustomStringConvertible {
    /// Which store: the reading cache or the reports database.
    public enum Store: Sendable { case readingCache, reports }

    public var store: Store
    /// The folder or file that cannot be written.
    public var path: String
    /// What the system said.
    public var reason: String

    public init(_ store: Store, path: String, reason: String) {
        self.store = store
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "cannot write the \(store == .readingCache ? "reading cache folder" : "reports database") \(path): \(reason)"
    }
}

/// The reports database cannot take a write now (a full disk, a failing one): try again later.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "the reports database \(path) cannot be written now: \(reason)" }
}

/// A write of the store that the system refused, with its reason (`No space left on device`).
struct StoreWriteFailed: Error, CustomStringConvertible {
    var path: String
    var code: Int32

    init(_ path: String, code: Int32 = errno) {
        self.path = path
        self.code = code
    }

    var description: String { "\(path): \(String(cString: strerror(code)))" }
}

/// Whether the reading cache stores what it is given, and the log of when that changes: a failure is logged at
/// most once a minute while it lasts, the recovery once.
struct CacheHealth {
    /// Why the last write failed; nil while writes succeed.
    private(set) var reason: String?
    private var lastLogged: ContinuousClock.Instant?
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    mutating func failed(_ error: any Error) {
        reason = "\(error)"
        let now = ContinuousClock.now
        if let last = lastLogged, now - last < .seconds(60) { return }
        lastLogged = now
        logger.error(
            "the reading cache cannot store readings: they are served without being kept until it can",
            metadata: ["reason": "\(error)"])
    }

    mutating func succeeded() {
        guard reason != nil else { return }
        reason = nil
        lastLogged = nil
        logger.notice("the reading cache stores readings again")
    }
}

/// What a file was like when its checksum was last found right: a file changed since is checked again.
struct FileStamp: Equatable {
    var size: Int
    var inode: UInt
    var modified: timespec
    var changed: timespec

    init(_ info: stat) {
        size = Int(info.st_size)
        inode = UInt(info.st_ino)
        modified = info.st_mtim
        changed = info.st_ctim
    }

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.size == b.size && a.inode == b.inode && a.modified.tv_sec == b.modified.tv_sec
            && a.modified.tv_nsec == b.modified.tv_nsec && a.changed.tv_sec == b.changed.tv_sec
            && a.changed.tv_nsec == b.changed.tv_nsec
    }
}

/// A stored reading's `complete` marker: a `SHA-256  name` line per file (as `sha256sum` writes them). Only a file
/// listed there with its checksum is served.
enum EntryManifest {
    static func text(_ sums: [String: String]) -> [UInt8] {
        Array(sums.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)\n" }.joined().utf8)
    }

    /// The checksums by file name; empty for a marker of the old format (no lines) or one that does not parse.
    static func parse(_ data: Data?) -> [String: String] {
        guard let data else { return [:] }
        var sums: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].utf8.count == 64 else { return [:] }
            let name = parts[1].drop { $0 == " " }
            guard !name.isEmpty, !name.contains("/") else { return [:] }
            sums[String(name)] = String(parts[0])
        }
        return sums
    }
}

/// Makes what was renamed in a folder survive a power cut: its folder's entries are synced too.
func syncFolder(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
}

/// `mkdir -p`, failing with the system's reason (`Not a directory` for a path through a file).
func makeFolders(_ path: String) throws(StoreWriteFailed) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        prefix += "/" + part
        if mkdir(prefix, 0o755) == 0 { continue }
        let code = errno
        var info = stat()
        guard code == EEXIST, stat(prefix, &info) == 0 else { throw StoreWriteFailed(prefix, code: code) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw StoreWriteFailed(prefix, code: ENOTDIR) }
    }
}
