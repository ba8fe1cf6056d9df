import Foundation
import QariSpeech
import QariText
import QariWorkers

/// Shared helpers: the built `qari` binary, a started pool, sample texts, audio measures.
public enum Support {
    /// `qari` sits beside the test bundle in the build folder.
    public static var qariPath: String {
        URL(fileURLWithPath: currentExecutablePath()).deletingLastPathComponent().appendingPathComponent("qari").path
    }

    public static func workerCommand() -> WorkerCommand {
        WorkerCommand(executable: qariPath, arguments: ["worker"])
    }

    public static func pageWorkerCommand() -> WorkerCommand {
        WorkerCommand(executable: qariPath, arguments: ["page-worker"])
    }

    public static func pool(
        workers: Int = 1, queueLimit: Int = 16, timeout: Duration = .seconds(120)
    ) async throws -> WorkerPool {
        let pool = WorkerPool.speech(
            .speech(workers: workers, queueLimit: queueLimit, requestTimeout: timeout, command: workerCommand()))
        try await pool.start()
        return pool
    }

    /// The repository's root.
    public static var repoDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The project's own sample pages and texts.
    public static var samplesDir: URL { repoDir.appendingPathComponent("samples") }

    /// `../shared` beside the project root: extra evaluation material, used when present, never needed.
    public static var sharedDir: URL { repoDir.deletingLastPathComponent().appendingPathComponent("shared") }

    /// Whether `../shared` is there (tests that evaluate on it are skipped, with one line, when it is not).
    public static let hasShared = FileManager.default.fileExists(
        atPath: sharedDir.appendingPathComponent("corpus").path)

    /// A fresh temporary file name with this extension.
    public static func temporaryFile(_ ext: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("qari-test-\(UUID()).\(ext)").path
    }

    /// Decodes audio bytes in a format and returns their duration in seconds.
    public static func decodedDuration(_ bytes: Data, ext: String) throws -> Double {
        let file = temporaryFile(ext)
        try bytes.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try decodedDuration(file)
    }

    /// A sample text of the project's own (`samples/texts/NAME.txt`): fr_short, ar_short, fr_page, ar_page.
    /// A PLS lexicon of `body`'s lexemes in `lang`.
    public static func lexicon(_ body: String, lang: String = "fr", alphabet: String = "ipa") throws(LexiconError)
        -> Lexicon
    {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="\(alphabet)" xml:lang="\(lang)">
            \(body)
            </lexicon>
            """
        return try Lexicon(data: Data(xml.utf8), path: "test.pls")
    }

    public static func sampleText(_ name: String) throws -> String {
        try String(contentsOf: samplesDir.appendingPathComponent("texts/\(name).txt"), encoding: .utf8)
    }

    /// A text whose speech holds a worker far longer than any test's setup takes, even when the whole suite runs on
    /// two busy cores (tests that hold a worker cancel it once their requests are queued).
    public static func holdingText() throws -> String {
        String(repeating: try sampleText("fr_page") + "\n", count: 400)
    }

    /// The project's sample pages (`samples/pages/*.html`).
    public static func samplePages() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: samplesDir.appendingPathComponent("pages"), includingPropertiesForKeys: nil
        )
        .filter { $0.pathExtension == "html" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    public struct Spoken: Sendable {
        public var samples: [Int16] = []
        public var marks: [Mark] = []
        public var total = 0
    }

    /// A started diacritizer from this checkout's `.venv` (made by `make test`).
    public static func diacritizer(workers: Int = 1, timeout: Duration = .seconds(30)) async throws -> Diacritizer {
        guard let location = DiacritizerLocation.find() else {
            throw DecodeError(message: "no diacritizer: run `make venv` first")
        }
        let d = Diacritizer.local(location: location, workers: workers, timeout: timeout)
        try await d.pool.start()
        return d
    }

    public static func speak(
        _ pool: WorkerPool, _ text: String, voice: String, diacritizer: Diacritizer? = nil
    ) async throws -> Spoken {
        let stream = try await Speaker(pool: pool, diacritizer: diacritizer).speak(
            SpeechRequest(text: text, voice: VoiceCatalog.voice(named: voice)!))
        var result = Spoken()
        for try await event in stream {
            switch event {
            case .audio(let s): result.samples += s
            case .marks(let m): result.marks += m
            case .end(let n): result.total = n
            }
        }
        return result
    }

    /// Root mean square of the samples, 0 for silence.
    public static func rms(_ samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sum / Double(samples.count)).squareRoot()
    }

    /// The whitespace-separated words of `text` with surrounding punctuation removed.
    public static func words(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map { token in
            String(token).trimmingCharacters(in: CharacterSet.punctuationCharacters.union(.symbols))
        }.filter { !$0.isEmpty }
    }

    public static func substring(_ text: String, _ mark: Mark) -> String {
        let scalars = Array(text.unicodeScalars)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[mark.start..<(mark.start + mark.length)])
        return String(s)
    }

    /// Runs a program and returns its exit status, stdout and stderr.
    @discardableResult
    public static func run(_ path: String, _ args: [String], stdin: Data? = nil, in folder: String? = nil) throws -> (
        status: Int32, out: Data, err: String
    ) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let folder { p.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, o, String(decoding: e, as: UTF8.self))
    }

    /// Decodes an audio file with sox and returns its duration in seconds, as the decoder counts it.
    public static func decodedDuration(_ file: String) throws -> Double {
        var file = file
        if file.hasSuffix(".ogg") {
            // sox has no Opus decoder on Debian 12: opus-tools' opusdec decodes to WAV first.
            let wav = file + ".wav"
            let d = try run("/usr/bin/opusdec", ["--quiet", "--rate", "22050", file, wav])
            guard d.status == 0 else { throw DecodeError(message: "opusdec failed on \(file): \(d.err)") }
            file = wav
        }
        defer { if file.hasSuffix(".ogg.wav") { try? FileManager.default.removeItem(atPath: file) } }
        let r = try run("/usr/bin/sox", [file, "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", "-"])
        guard r.status == 0 else { throw DecodeError(message: "sox failed on \(file): \(r.err)") }
        return Double(r.out.count / 2) / 22050
    }

    public struct DecodeError: Error { public var message: String }
}
