import ArgumentParser
import Foundation
import Logging
import QariServer
import QariSpeech

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

/// A one-worker pool for a command-line run: the engine still runs in its own process.
func localPool() async throws -> WorkerPool {
    var logger = Logger(label: "qari")
    logger.logLevel = .warning
    let pool = WorkerPool(
        configuration: .init(workers: 1, queueLimit: 4, requestTimeout: .seconds(3600)), logger: logger)
    try await pool.start()
    return pool
}

/// A speaker for a command-line run; Arabic gets its vowels restored by a diacritizer worker.
func localSpeaker(for voice: Voice) async throws -> Speaker {
    let pool = try await localPool()
    guard TextNormalizer.Language(tag: voice.language) == .arabic else { return Speaker(pool: pool) }
    var logger = Logger(label: "qari")
    logger.logLevel = .error
    let diacritizer = Diacritizer.local(logger: logger)
    await diacritizer.start()
    return Speaker(pool: pool, diacritizer: diacritizer)
}

extension Speaker {
    /// Ends the workers of a command-line run.
    func shutdown() async {
        await pool.shutdown()
        await diacritizer?.pool.shutdown()
    }
}

/// Reads the text to speak from an argument, a file, or stdin.
func readText(argument: String?, file: String?) throws -> String {
    if let argument, file != nil {
        _ = argument
        throw CLIError("give the text either as an argument or with --file, not both")
    }
    if let argument { return argument }
    let data: Data
    if let file {
        guard let d = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
        data = d
    } else {
        if isatty(0) != 0 { throw CLIError("no text: give TEXT, --file FILE, or pipe text on stdin") }
        data = FileHandle.standardInput.readDataToEndOfFile()
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw CLIError("\(file ?? "stdin") is not UTF-8 text")
    }
    return text
}

struct Synth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Speak text to an audio file or stdout.")

    @OptionGroup var voiceOptions: VoiceOptions
    @Option(help: "Words per minute (80–450).") var rate: Int = 175
    @Option(help: "Pitch (0–100).") var pitch: Int = 50
    @Option(help: "Volume (0–200).") var volume: Int = 100
    @Option(help: "wav, ogg or mp3 (default: from -o's extension, else wav).") var format: String?
    @Option(name: .shortAndLong, help: "Audio file to write (default: stdout).") var output: String?
    @Option(help: "Write word and sentence marks as JSON to this file.") var marks: String?
    @Option(help: "Read the text from this file.") var file: String?
    @Flag(help: "The text is SSML (speak, voice, prosody, say-as, break, mark, s, p, sub).") var ssml = false
    @Argument(help: "The text (default: --file or stdin).") var text: String?

    func validate() throws {
        for (name, value, range) in [
            ("rate", rate, SynthesisOptions.rateRange), ("pitch", pitch, SynthesisOptions.pitchRange),
            ("volume", volume, SynthesisOptions.volumeRange),
        ] where !range.contains(value) {
            throw ValidationError("--\(name) \(value) is outside \(range.lowerBound)–\(range.upperBound)")
        }
    }

    func run() async throws {
        let voice = try voiceOptions.resolved()
        let format = try chooseFormat()
        let input = try readText(argument: text, file: file)
        guard !input.allSatisfy(\.isWhitespace) else { throw CLIError("nothing to say: the text is empty") }
        if output == nil && isatty(1) != 0 {
            throw CLIError("refusing to write audio to a terminal: use -o FILE or redirect stdout")
        }
        let sink: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw CLIError("cannot write \(output)")
            }
            sink = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            sink = FileHandle.standardOutput
        }

        let speaker = try await localSpeaker(for: voice)
        let pool = speaker.pool
        if ssml {
            do {
                _ = try SSMLDocument(input)
            } catch {
                throw CLIError("invalid SSML at \(error)")
            }
        }
        let options = SynthesisOptions(rate: rate, pitch: pitch, volume: volume, ssml: ssml)
        let stream = try await speaker.speak(SpeechRequest(text: input, voice: voice, options: options))
        let sampleRate = await pool.sampleRate
        var encoder = try format.makeEncoder(sampleRate: sampleRate)
        var allMarks: [Mark] = []
        var totalSamples = 0
        let progress = Progress(total: input.unicodeScalars.count)
        for try await event in stream {
            switch event {
            case .audio(let samples):
                let bytes = try encoder.encode(samples)
                if !bytes.isEmpty { try sink.write(contentsOf: bytes) }
            case .marks(let m):
                allMarks += m
                if let last = m.last { progress.update(last.start) }
            case .end(let n):
                totalSamples = n
            }
        }
        let tail = try encoder.finish()
        if !tail.isEmpty { try sink.write(contentsOf: tail) }
        progress.done()
        if output != nil && format == .wav {
            // A file can say its real length, unlike a stream.
            try sink.seek(toOffset: 0)
            try sink.write(contentsOf: WAVEncoder.header(sampleRate: sampleRate, dataBytes: totalSamples * 2))
        }
        if output != nil { try sink.close() }
        if let marks {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let doc = MarksDocument(durationMs: totalSamples * 1000 / sampleRate, marks: allMarks)
            guard FileManager.default.createFile(atPath: marks, contents: try encoder.encode(doc)) else {
                throw CLIError("cannot write \(marks)")
            }
        }
        await speaker.shutdown()
    }

    private func chooseFormat() throws -> AudioFormat {
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
    var lastPercent = -1

    init(total: Int) {
        self.total = total
        enabled = isatty(2) != 0 && total >= 2000
    }

    func update(_ position: Int) {
        guard enabled else { return }
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

struct Voices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the voices.")

    @Flag(help: "Print JSON, as GET /v1/voices does.") var json = false

    func run() async throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(VoiceCatalog.all), as: UTF8.self))
        } else {
            print("ID    LANGUAGE  SCRIPT  NAME")
            for v in VoiceCatalog.all {
                print(
                    v.id.padding(toLength: 6, withPad: " ", startingAt: 0)
                        + v.language.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + v.script.padding(toLength: 8, withPad: " ", startingAt: 0) + v.name)
            }
        }
    }
}

struct Phonemes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the phonemes eSpeak NG would speak.")

    @OptionGroup var voiceOptions: VoiceOptions
    @Flag(help: "IPA instead of eSpeak mnemonics.") var ipa = false
    @Option(help: "Read the text from this file.") var file: String?
    @Argument(help: "The text (default: --file or stdin).") var text: String?

    func run() async throws {
        let voice = try voiceOptions.resolved()
        let input = try readText(argument: text, file: file)
        guard !input.allSatisfy(\.isWhitespace) else { throw CLIError("nothing to transcribe: the text is empty") }
        let speaker = try await localSpeaker(for: voice)
        let result = try await speaker.phonemes(input, voice: voice, ipa: ipa)
        print(result)
        await speaker.shutdown()
    }
}

struct Diacritize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print Arabic text with its vowel marks restored, line by line (for linguists).")

    @Option(help: "Read the text from this file.") var file: String?
    @Argument(help: "The text (default: --file or stdin).") var text: String?

    func run() async throws {
        let input = try readText(argument: text, file: file)
        var logger = Logger(label: "qari")
        logger.logLevel = .error
        guard let location = DiacritizerLocation.find() else {
            throw CLIError("the diacritizer is not installed: run `make build` (it creates .venv) or set QARI_HOME")
        }
        let diacritizer = Diacritizer.local(location: location, logger: logger)
        do {
            try await diacritizer.pool.start()
        } catch {
            throw CLIError("the diacritizer did not start: \(error)")
        }
        var lines = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            if line.unicodeScalars.contains(where: isArabicLetter) {
                let units = try await diacritizer.pool.diacritize(text: line)
                print(units.joined())
            } else {
                print(line)
            }
        }
        await diacritizer.pool.shutdown()
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP daemon.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8470
    @Option(help: "Speech worker processes (default: one per core).") var workers: Int?
    @Option(help: "Requests that may wait for a worker before new ones get 503.") var queueLimit = 64
    @Option(help: "Seconds one request may hold a worker.") var timeout = 60.0
    @Option(help: "Longest text, in characters, a request may carry.") var maxText = 100_000
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port \(port) is not a TCP port") }
        if let workers, !(1...64).contains(workers) { throw ValidationError("--workers must be from 1 to 64") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard maxText > 0 else { throw ValidationError("--max-text must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        var logger = Logger(label: "qari")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var pool = WorkerPoolConfiguration(queueLimit: queueLimit, requestTimeout: .milliseconds(Int(timeout * 1000)))
        if let workers { pool.workers = workers }
        let configuration = ServerConfiguration(host: host, port: port, pool: pool, maxTextLength: maxText)
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
