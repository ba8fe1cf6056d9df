import CEspeakNG
import Glibc
import QariWorkers

/// The private eSpeak NG data directory that holds Qari's Amazigh voices (`voices/` of the repo).
///
/// eSpeak's dictionary compiler writes into the data directory, so Qari never touches the system's: it builds a
/// copy (symbolic links to the system's files, plus `lang/ber/` and the compiled `zgh_dict`) once per version of
/// `voices/`, under `.build/qari-espeak-data/` of the repo or `$QARI_CACHE`.
public enum EspeakData {
    /// The folder of the Amazigh voice sources: `$QARI_HOME/voices` or the first `voices/` above this executable.
    public static func voicesDirectory(executable: String = currentExecutablePath()) -> String? {
        qariHomeCandidates(executable: executable).map { $0 + "/voices" }.first { access($0 + "/zgh_rules", R_OK) == 0 }
    }

    /// The data directory with the Amazigh voices, compiled now if this version of `voices/` has not been.
    ///
    /// Compiling runs in a child process (`qari compile-voices`): it needs eSpeak's global state, which belongs to
    /// the engine of the calling process.
    public static func prepare(voices: String, executable: String = currentExecutablePath()) throws -> String {
        let hash = try version(voices: voices)
        let base = cacheDirectory(voices: voices)
        let target = base + "/" + String(hash, radix: 16)
        if access(target + "/zgh_dict", R_OK) == 0 { return target }
        try makeDirectories(base)
        let temporary = target + ".tmp\(getpid())"
        let status = try Subprocess.run(
            WorkerCommand(
                executable: executable, arguments: ["compile-voices", "--voices", voices, "--output", temporary]))
        guard status == 0, access(temporary + "/zgh_dict", R_OK) == 0 else {
            removeTree(temporary)
            throw SpeechEngineError("compiling the Amazigh voices in \(voices) failed (status \(status))")
        }
        // Another process may have won the race: its copy is the same.
        if rename(temporary, target) != 0 { removeTree(temporary) }
        return target
    }

    /// A hash of every file of `voices/`: what the speech of the Amazigh voices depends on.
    public static func version(voices: String) throws -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (name, bytes) in try sourceFiles(voices) {
            for b in Array(name.utf8) + [0] + bytes + [0] {
                hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3
            }
        }
        return hash
    }

    /// Builds a data directory at `output` from the system's and compiles the Amazigh dictionary into it.
    ///
    /// Runs in a process of its own (see `prepare`).
    public static func compile(voices: String, output: String) throws {
        var systemPath: UnsafePointer<CChar>?
        espeak_ng_InitializePath(nil)
        _ = espeak_Info(&systemPath)
        guard let systemPath else { throw SpeechEngineError("eSpeak NG does not say where its data is") }
        let system = String(cString: systemPath)
        try makeDirectories(output + "/lang/ber")
        for entry in try list(system) where entry != "lang" {
            guard symlink(system + "/" + entry, output + "/" + entry) == 0 else {
                throw SpeechEngineError("cannot link \(entry) into \(output): \(String(cString: strerror(errno)))")
            }
        }
        for entry in try list(system + "/lang") {
            _ = symlink(system + "/lang/" + entry, output + "/lang/" + entry)
        }
        for entry in try list(voices + "/lang") {
            try copyFile(voices + "/lang/" + entry, to: output + "/lang/ber/" + entry)
        }
        espeak_ng_InitializePath(output)
        var context: espeak_ng_ERROR_CONTEXT?
        guard espeak_ng_Initialize(&context) == ENS_OK else {
            throw SpeechEngineError("eSpeak NG could not start with data in \(output)")
        }
        // The dictionary compiler checks phoneme names against the selected voice's table: Arabic's.
        guard espeak_ng_SetVoiceByName("ar") == ENS_OK else { throw SpeechEngineError("eSpeak NG has no ar voice") }
        // The compiler's log is kept beside the dictionary; a failure prints it for the linguist who edited voices/.
        let logPath = output + "/compile.log"
        let log = fopen(logPath, "w")
        let status = espeak_ng_CompileDictionary(voices + "/", "zgh", log, 0, &context)
        if let log { fclose(log) }
        guard status == ENS_OK else {
            if let text = try? readFile(logPath) { writeStderr(String(decoding: text, as: UTF8.self)) }
            var message = [CChar](repeating: 0, count: 512)
            espeak_ng_GetStatusCodeMessage(status, &message, message.count)
            throw SpeechEngineError(
                "compiling zgh_rules/zgh_list failed: \(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))"
            )
        }
    }

    static func cacheDirectory(voices: String) -> String {
        if let cache = getenv("QARI_CACHE") { return String(cString: cache) + "/espeak-data" }
        let root = String(voices.dropLast("/voices".count))
        if access(root, W_OK) == 0 { return root + "/.build/qari-espeak-data" }
        return "/tmp/qari-\(getuid())/espeak-data"
    }

    static func sourceFiles(_ voices: String) throws -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = []
        for name in ["zgh_rules", "zgh_list"] { files.append((name, try readFile(voices + "/" + name))) }
        for name in try list(voices + "/lang").sorted() {
            files.append(("lang/" + name, try readFile(voices + "/lang/" + name)))
        }
        return files
    }

    static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw SpeechEngineError("cannot read \(path)") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw SpeechEngineError("cannot read \(path)") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }

    static func copyFile(_ from: String, to: String) throws {
        let bytes = try readFile(from)
        guard let f = fopen(to, "wb") else { throw SpeechEngineError("cannot write \(to)") }
        defer { fclose(f) }
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw SpeechEngineError("cannot write \(to)") }
    }

    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SpeechEngineError("cannot create \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR, let entries = try? list(path) {
            for entry in entries { removeTree(path + "/" + entry) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
