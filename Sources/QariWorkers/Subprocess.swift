import CSpawn
import Glibc

/// How to start a worker process.
public struct WorkerCommand: Sendable, Equatable {
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// A subcommand of this very executable (`qari worker`, `qari page-worker`).
    public static func current(_ arguments: [String]) -> WorkerCommand {
        WorkerCommand(executable: currentExecutablePath(), arguments: arguments)
    }
}

/// The absolute path of the running executable.
public func currentExecutablePath() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return CommandLine.arguments[0] }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Folders that may hold Qari's own files (`voices/`, `diacritizer/`, `lexicons/`): `$QARI_HOME`, then each
/// folder above the executable (a build under `.build/` finds the repository it was built from), then the
/// installed layout's `PREFIX/share/qari` for an executable in `PREFIX/bin` (the Debian package's `/usr`).
public func qariHomeCandidates(executable: String = currentExecutablePath()) -> [String] {
    var candidates: [String] = []
    if let home = getenv("QARI_HOME") { candidates.append(String(cString: home)) }
    var dir = executable
    while let slash = dir.lastIndex(of: "/"), slash != dir.startIndex {
        dir = String(dir[..<slash])
        candidates.append(dir)
    }
    if let prefix = installedPrefix(executable: executable) { candidates.append(prefix + "/share/qari") }
    return candidates
}

/// `PREFIX` when the executable is `PREFIX/bin/qari`, as installed by a package (its other files are then under
/// `PREFIX/share/qari` and `PREFIX/lib/qari`); nil for a build in a repository.
public func installedPrefix(executable: String = currentExecutablePath()) -> String? {
    var parts = executable.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 3, parts[parts.count - 2] == "bin" else { return nil }
    parts.removeLast(2)
    let prefix = parts.joined(separator: "/")
    return prefix.isEmpty ? nil : prefix
}

/// Starting child processes: the one place Qari calls `posix_spawn`.
public enum Subprocess {
    /// Starts `command` with `fds` as its descriptors (child fd ← our fd); returns its pid.
    public static func spawn(_ command: WorkerCommand, fds: [(child: Int32, parent: Int32)]) throws(WorkerError)
        -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (child, parent) in fds { posix_spawn_file_actions_adddup2(&actions, parent, child) }
        // Nothing else crosses: a descriptor another thread opened without close-on-exec (a pipe to another
        // process, a socket) would stay open in the child for its whole life, and its reader would wait for an
        // end of file that never comes.
        posix_spawn_file_actions_addclosefrom_np(&actions, max(3, (fds.map { $0.child }.max() ?? 2) + 1))
        let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, command.executable, &actions, nil, argv, environ)
        guard rc == 0 else {
            throw .unavailable("cannot start \(command.executable): \(String(cString: strerror(rc)))")
        }
        return pid
    }

    /// Runs `command` to its end, its stdout sent to our stderr (ours may carry frames); returns its exit status.
    public static func run(_ command: WorkerCommand) throws(WorkerError) -> Int32 {
        let pid = try spawn(command, fds: [(1, 2)])
        let status = wait(pid)
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Waits for `pid` to end; its raw wait status.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Waits for `pid` to end without reaping it (its pid stays reserved until `wait`).
    public static func waitUntilEnded(_ pid: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
    }

    /// How a process ended, in words.
    public static func describe(status: Int32) -> String {
        status & 0x7f == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(status & 0x7f)"
    }
}

/// Writes all of `bytes` to `fd`; false when the peer is gone.
public func writeAll(fd: Int32, bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buf in
        var offset = 0
        while offset < buf.count {
            let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

/// A line on stderr.
public func writeStderr(_ s: String) {
    _ = writeAll(fd: 2, bytes: Array(s.utf8))
}

func errnoString() -> String { String(cString: strerror(errno)) }

private final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` on a new detached thread (for blocking pipe I/O that must not hold a Swift concurrency thread).
func startThread(_ body: @escaping @Sendable () -> Void) {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, nil,
        { arg in
            Unmanaged<ThreadBody>.fromOpaque(arg!).takeRetainedValue().body()
            return nil
        }, context)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    pthread_detach(thread)
}
