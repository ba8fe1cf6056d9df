import Glibc
import Logging

/// Restores the vowel marks of undiacritized Arabic through a diacritizer worker process.
///
/// The model (text2tashkeel's rawi-ensemble, ONNX) runs in Python in `diacritizer/qari_diacritizer.py`, a
/// long-lived worker under the same pool as eSpeak's: timeouts, restarts, and a crash costs one request. When the
/// worker is down, Arabic is still spoken, without restored vowels.
public struct Diacritizer: Sendable {
    public let pool: WorkerPool
    private let logger: Logger

    public init(pool: WorkerPool, logger: Logger = Logger(label: "qari.diacritizer")) {
        self.pool = pool
        self.logger = logger
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
            configuration: .init(workers: workers, queueLimit: 256, requestTimeout: timeout, command: command),
            logger: logger)
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
        await pool.status().workers.contains { $0.state == "idle" || $0.state == "busy" }
    }

    /// `text` rewritten with restored vowels, traced back to `text`; nil when the diacritizer failed (logged).
    public func diacritize(_ text: String) async -> SpokenText? {
        guard text.unicodeScalars.contains(where: isArabicLetter) else { return nil }
        do {
            let units = try await pool.diacritize(text: text)
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

/// Whether `s` is an Arabic letter (one the diacritizer gives marks to).
public func isArabicLetter(_ s: Unicode.Scalar) -> Bool {
    (0x0620...0x064A).contains(s.value) || (0x066E...0x06D3).contains(s.value)
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
    /// `.venv/bin/python3` (a build under `.build/` finds the repo it was built from).
    public static func find(executable: String = currentExecutablePath()) -> DiacritizerLocation? {
        for root in qariHomeCandidates(executable: executable) {
            let script = root + "/diacritizer/qari_diacritizer.py"
            let python = root + "/.venv/bin/python3"
            if access(script, R_OK) == 0 && access(python, X_OK) == 0 {
                return DiacritizerLocation(python: python, script: script)
            }
        }
        return nil
    }
}

/// Where Qari's own files (`diacritizer/`, `voices/`) may be: `$QARI_HOME`, then each folder above the executable
/// (a build under `.build/` finds the repo it was built from).
func qariHomeCandidates(executable: String) -> [String] {
    var candidates: [String] = []
    if let home = getenv("QARI_HOME") { candidates.append(String(cString: home)) }
    var dir = executable
    while let slash = dir.lastIndex(of: "/"), slash != dir.startIndex {
        dir = String(dir[..<slash])
        candidates.append(dir)
    }
    return candidates
}
