import ArgumentParser
import Foundation
import Logging
import QariAudio
import QariSpeech
import QariText
import QariWorkers

/// Options shared by commands that speak.
struct VoiceOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Voice id or language tag (see `qari voices`).")
    var voice: String = "ar"

    func resolved() throws -> Voice {
        guard let v = VoiceCatalog.voice(named: voice) else {
            throw CLIError("no voice \"\(voice)\"; available voices: \(VoiceCatalog.ids.joined(separator: ", "))")
        }
        return v
    }
}

/// `--lexicon FILE`, repeatable: pronunciation lexicons (W3C PLS) applied before normalisation.
struct LexiconOptions: ParsableArguments {
    @Option(
        name: .customLong("lexicon"),
        help: "A pronunciation lexicon (W3C PLS 1.0); repeatable; \"none\" for none (default: lexicons/*.pls).")
    var files: [String] = []

    /// The lexicons, read now; a broken file is one line naming its line and column.
    func load() throws -> LexiconStore {
        do {
            return LexiconStore(try LexiconSet(paths: LexiconSet.paths(named: files)))
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// A one-worker pool for a command-line run: the engine still runs in its own process.
func localPool() async throws -> WorkerPool {
    var logger = Logger(label: "qari")
    logger.logLevel = .warning
    let pool = WorkerPool.speech(.speech(workers: 1, queueLimit: 4, requestTimeout: .seconds(3600)), logger: logger)
    try await pool.start()
    return pool
}

/// A speaker for a command-line run; Arabic (the voice's, or runs of Arabic script in `text`) gets its vowels restored
/// by a diacritizer worker.
func localSpeaker(for voice: Voice, text: String = "", lexicons: LexiconStore = LexiconStore()) async throws
    -> Speaker
{
    let pool = try await localPool()
    let arabic = ScriptRuns.split(text, voice: voice).contains { $0.voice.id == "ar" }
    guard TextNormalizer.Language(tag: voice.language) == .arabic || arabic else {
        return Speaker(pool: pool, lexicons: lexicons)
    }
    var logger = Logger(label: "qari")
    logger.logLevel = .error
    let diacritizer = Diacritizer.local(logger: logger)
    await diacritizer.start()
    return Speaker(pool: pool, diacritizer: diacritizer, lexicons: lexicons)
}

extension Speaker {
    /// Ends the workers of a command-line run.
    func shutdown() async {
        await pool.shutdown()
        await diacritizer?.pool.shutdown()
    }
}

/// The bytes of a page file, or of stdin for `-`.
func readPage(_ path: String) throws -> [UInt8] { Array(try readInput(path)) }

/// The bytes of `path`, to its end: stdin for `-`; pipes and `/dev/stdin` as well as files.
func readInput(_ path: String) throws -> Data {
    if path == "-" { return try readAll(FileHandle.standardInput, named: "stdin") }
    // FileManager.contents(atPath:) refuses what has no size up front, such as a pipe behind /dev/stdin.
    guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read \(path)") }
    defer { try? handle.close() }
    return try readAll(handle, named: path)
}

private func readAll(_ handle: FileHandle, named name: String) throws -> Data {
    do {
        return try handle.readToEnd() ?? Data()
    } catch {
        throw CLIError("cannot read \(name): \(error.localizedDescription)")
    }
}

/// The text a command works on: an argument, `--file FILE`, or stdin (`-` for either, or nothing given).
struct TextInput: ParsableArguments {
    @Option(help: "Read the text from this file (- for stdin).") var file: String?
    @Argument(help: "The text (default: --file or stdin; - for stdin); after -- when it starts with '-'.")
    var text: String?

    /// The text, read now.
    func read() throws -> String {
        if text != nil, file != nil { throw CLIError("give the text either as an argument or with --file, not both") }
        if let text, text != "-" { return text }
        let path = file ?? "-"
        if path == "-", isatty(0) != 0 {
            throw CLIError(
                text == nil && file == nil
                    ? "no text: give TEXT, --file FILE, or pipe text on stdin"
                    : "no text on stdin: pipe text in, or give TEXT or --file FILE")
        }
        guard let read = String(data: try readInput(path), encoding: .utf8) else {
            throw CLIError("\(path == "-" ? "stdin" : path) is not UTF-8 text")
        }
        return read
    }
}

/// The format named by `--format`, else by the output file's extension, else WAV.
func audioFormat(_ format: String?, output: String?) throws -> AudioFormat {
    if let format {
        guard let f = AudioFormat(name: format) else {
            throw CLIError("unknown format \"\(format)\"; use wav, ogg or mp3")
        }
        return f
    }
    if let output {
        let ext = URL(fileURLWithPath: output).pathExtension
        if ext.isEmpty { return .wav }
        guard let f = AudioFormat(name: ext) else {
            throw CLIError("cannot tell the format from \".\(ext)\": use .wav, .ogg or .mp3, or --format")
        }
        return f
    }
    return .wav
}

/// A file to write audio to, or stdout (never a terminal).
func audioSink(_ output: String?) throws -> FileHandle {
    guard let output else {
        if isatty(1) != 0 { throw CLIError("refusing to write audio to a terminal: use -o FILE or redirect stdout") }
        return FileHandle.standardOutput
    }
    guard FileManager.default.createFile(atPath: output, contents: nil) else {
        throw CLIError("cannot write \(output)")
    }
    return try FileHandle(forWritingTo: URL(fileURLWithPath: output))
}

/// Encodes a speech stream into `sink`; returns the marks and the number of samples.
func writeAudio(
    _ stream: AsyncThrowingStream<SpeechEvent, any Error>, sampleRate: Int, format: AudioFormat, sink: FileHandle,
    toFile: Bool, progress: Progress
) async throws -> ([Mark], Int) {
    var encoder = try format.makeEncoder(sampleRate: sampleRate)
    var allMarks: [Mark] = []
    var totalSamples = 0
    for try await event in stream {
        switch event {
        case .audio(let samples):
            let bytes = try encoder.encode(samples)
            if !bytes.isEmpty { try sink.write(contentsOf: bytes) }
        case .marks(let m):
            allMarks += m
            if let last = m.last { progress.update(last) }
        case .end(let n):
            totalSamples = n
        }
    }
    let tail = try encoder.finish()
    if !tail.isEmpty { try sink.write(contentsOf: tail) }
    progress.done()
    if format == .wav, isRegularFile(sink) {
        // A file (-o, or stdout sent to one) can say its true length, unlike a pipe.
        try sink.seek(toOffset: 0)
        try sink.write(contentsOf: WAVEncoder.header(sampleRate: sampleRate, dataBytes: totalSamples * 2))
    }
    if toFile { try sink.close() }
    return (allMarks, totalSamples)
}

/// Whether `handle` is a regular file that can be written again at its start (not one opened to append to).
private func isRegularFile(_ handle: FileHandle) -> Bool {
    var info = stat()
    guard fstat(handle.fileDescriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
    return fcntl(handle.fileDescriptor, F_GETFL) & O_APPEND == 0
}

/// Writes `value` as pretty JSON to `path`.
func writeJSON(_ value: some Encodable, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(value)) else {
        throw CLIError("cannot write \(path)")
    }
}

struct MarksDocument: Encodable {
    var durationMs: Int
    var marks: [Mark]
    enum CodingKeys: String, CodingKey {
        case durationMs = "duration_ms"
        case marks
    }
}

/// A progress line on a terminal for long texts.
final class Progress {
    let total: Int
    let enabled: Bool
    /// Where a mark is, in code points from the start of everything spoken.
    let position: (Mark) -> Int
    var lastPercent = -1

    init(total: Int, position: @escaping (Mark) -> Int = \.start) {
        self.total = total
        self.position = position
        enabled = isatty(2) != 0 && total >= 2000
    }

    func update(_ mark: Mark) {
        guard enabled else { return }
        let position = position(mark)
        let percent = min(100, position * 100 / max(total, 1))
        guard percent != lastPercent else { return }
        lastPercent = percent
        FileHandle.standardError.write(Data("\rspeaking… \(percent)%".utf8))
    }

    func done() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\rspeaking… 100%\n".utf8))
    }
}

/// A warning on stderr; the command goes on.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("qari: warning: \(message)\n".utf8))
}

extension String {
    func pad(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}

/// LANG=VOICE pairs.
func voiceOverrides(_ pairs: [String]) throws -> [String: String] {
    var out: [String: String] = [:]
    for pair in pairs {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, VoiceCatalog.voice(named: parts[1]) != nil else {
            throw CLIError("--voice takes LANG=VOICE with a voice of `qari voices`, not \"\(pair)\"")
        }
        out[parts[0].lowercased()] = parts[1]
    }
    return out
}
