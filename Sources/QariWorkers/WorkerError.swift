import Glibc

/// Why a request to a pool of workers failed, whatever the workers do.
public enum WorkerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every worker is busy and the queue is full.
    case busy(pool: String, queueLimit: Int)
    /// The worker serving the request died (`how`: "was killed by signal 9", "exited with status 3", …).
    case crashed(pool: String, how: String)
    /// The request held its worker longer than the per-request limit; the worker was restarted.
    case timedOut(pool: String, limit: Duration)
    /// The worker refused the request (its `failure` frame), and lives on.
    case failed(pool: String, message: String)
    /// The pool is shutting down and takes no new work.
    case shuttingDown(pool: String)
    /// Workers cannot be started or none is running.
    case unavailable(String)

    public var description: String {
        switch self {
        case .busy(let pool, let limit): "all \(pool) workers are busy and \(limit) requests are already waiting"
        case .crashed(let pool, let how): "the \(pool) worker \(how) while serving this request"
        case .timedOut(let pool, let limit):
            "the \(pool) request took longer than the limit of \(limit.formattedSeconds)"
        case .failed(_, let message): message
        case .shuttingDown(let pool): "the \(pool) service is shutting down"
        case .unavailable(let why): "workers are unavailable: \(why)"
        }
    }

    /// Whether the worker was killed with SIGKILL: by an operator, the kernel's out-of-memory killer or a test, not
    /// by its own fault (a crash of its own is a signal such as SIGSEGV or SIGABRT, or an exit).
    public var wasKilledFromOutside: Bool {
        if case .crashed(_, let how) = self { return how == Subprocess.describe(status: SIGKILL) }
        return false
    }

    /// The pool the error comes from, if known.
    public var pool: String? {
        switch self {
        case .busy(let pool, _), .crashed(let pool, _), .timedOut(let pool, _), .failed(let pool, _),
            .shuttingDown(let pool):
            pool
        case .unavailable: nil
        }
    }
}

extension Duration {
    /// "2 s", "0.3 s".
    public var formattedSeconds: String {
        let s = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
