import ArgumentParser
import Foundation
import Logging
import QariPage
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

/// A speaker for a command-line run; Arabic (the voice's, or runs of Arabic script in `text`) gets its vowels restored
/// by a diacritizer worker.
func localSpeaker(for voice: Voice, text: String = "") async throws -> Speaker {
    let pool = try await localPool()
    let arabic = ScriptRuns.split(text, voice: voice).contains { $0.voice.id == "ar" }
    guard TextNormalizer.Language(tag: voice.language) == .arabic || arabic else { return Speaker(pool: pool) }
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
        let sink = try audioSink(output)

        for warning in Speaker.warnings(for: input) { warn(warning) }
        let speaker = try await localSpeaker(for: voice, text: input)
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
        let (allMarks, totalSamples) = try await writeAudio(
            stream, sampleRate: await pool.sampleRate, format: format, sink: sink, toFile: output != nil,
            progressTotal: input.unicodeScalars.count)
        if let marks {
            let doc = MarksDocument(durationMs: totalSamples * 1000 / (await pool.sampleRate), marks: allMarks)
            try writeJSON(doc, to: marks)
        }
        await speaker.shutdown()
    }

    private func chooseFormat() throws -> AudioFormat { try audioFormat(format, output: output) }
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
    toFile: Bool, progressTotal: Int
) async throws -> ([Mark], Int) {
    var encoder = try format.makeEncoder(sampleRate: sampleRate)
    var allMarks: [Mark] = []
    var totalSamples = 0
    let progress = Progress(total: progressTotal)
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
    if toFile && format == .wav {
        // A file can say its real length, unlike a stream.
        try sink.seek(toOffset: 0)
        try sink.write(contentsOf: WAVEncoder.header(sampleRate: sampleRate, dataBytes: totalSamples * 2))
    }
    if toFile { try sink.close() }
    return (allMarks, totalSamples)
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
            print("ID    LANGUAGE  SCRIPTS    NAME")
            for v in VoiceCatalog.all {
                print(
                    v.id.padding(toLength: 6, withPad: " ", startingAt: 0)
                        + v.language.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + v.scripts.joined(separator: ",").padding(toLength: 11, withPad: " ", startingAt: 0) + v.name)
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
        for warning in Speaker.warnings(for: input) { warn(warning) }
        let speaker = try await localSpeaker(for: voice, text: input)
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
    @Option(help: "Largest page, in bytes, /v1/read accepts.") var maxPage = 5 << 20
    @Option(help: "CSS selector of the reading area for pages without data-qari-read.") var readSelector: String?
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
        let configuration = ServerConfiguration(
            host: host, port: port, pool: pool, maxTextLength: maxText,
            page: PageOptions(readSelector: readSelector, maxBytes: maxPage))
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}

/// A warning on stderr; the command goes on.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("qari: warning: \(message)\n".utf8))
}

struct PhonemeErrors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "per",
        abstract: "Measure the Amazigh voices' phoneme error rate over a JSON file of cases (for linguists).",
        discussion: """
            Each case: {"tifinagh"?, "latin"?, "variety", "ipa", "ipa_status"?}. Both written forms are read with \
            `qari phonemes --ipa` and compared with "ipa" after folding vowel allophones (æ ɑ ɐ → a, ɪ e → i, \
            ʊ o → u), ʁ → ɣ, and ignoring stress and syllable marks.
            """)

    @Argument(help: "The cases (default: ../shared/amazigh/examples.json beside the repo).")
    var cases: String?

    func run() async throws {
        let path = cases ?? (EspeakData.voicesDirectory().map { $0 + "/../../shared/amazigh/examples.json" } ?? "")
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        let list: [PhonemeErrorRate.Case]
        do {
            list = try JSONDecoder().decode([PhonemeErrorRate.Case].self, from: data)
        } catch {
            throw CLIError("\(path) is not a JSON list of cases: \(error)")
        }
        let speaker = try await localSpeaker(for: VoiceCatalog.voice(named: "zgh")!)
        var total = 0
        var errors = 0
        var byStatus: [String: (Int, Int)] = [:]
        var disagreements = 0
        print(
            "variety  form       written                 qari IPA              expected IPA           errors/phonemes")
        for c in list {
            guard let voice = VoiceCatalog.voice(named: c.variety), voice.amazighVariety != nil else {
                throw CLIError("case \(c.tifinagh ?? c.latin ?? "?"): no Amazigh variety \"\(c.variety)\"")
            }
            let expected = PhonemeErrorRate.phonemes(c.ipa)
            var readings: [[String]] = []
            for (form, written) in [("tifinagh", c.tifinagh), ("latin", c.latin)] {
                guard let written, !written.isEmpty else { continue }
                let ipa = try await speaker.phonemes(written, voice: voice, ipa: true)
                let actual = PhonemeErrorRate.phonemes(ipa)
                readings.append(actual)
                let e = PhonemeErrorRate.errors(expected: expected, actual: actual)
                total += expected.count
                errors += e
                let status = c.ipaStatus ?? "unknown"
                byStatus[status, default: (0, 0)].0 += e
                byStatus[status, default: (0, 0)].1 += expected.count
                print(
                    [c.variety.pad(9), form.pad(11), written.pad(24), ipa.pad(22), c.ipa.pad(23)].joined()
                        + "\(e)/\(expected.count)")
            }
            if readings.count == 2 && readings[0] != readings[1] { disagreements += 1 }
        }
        await speaker.shutdown()
        func rate(_ e: Int, _ n: Int) -> String { String(format: "%.2f%%", n == 0 ? 0 : 100 * Double(e) / Double(n)) }
        print("")
        print("cases \(list.count); phonemes compared \(total); errors \(errors)")
        for (status, (e, n)) in byStatus.sorted(by: { $0.key < $1.key }) {
            print("PER, IPA \(status): \(rate(e, n)) (\(e)/\(n))")
        }
        print("PER: \(rate(errors, total))")
        print("Tifinagh and Latin forms read differently: \(disagreements)")
    }
}

extension String {
    func pad(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}

struct Read: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a service page aloud: its main content, each passage in its language's voice.")

    @Argument(help: "The page (HTML file; - for stdin).") var page: String
    @Option(name: .shortAndLong, help: "Write the audio here (format from the extension; default: WAV on stdout).")
    var output: String?
    @Option(help: "Write the passages, their locators and word marks here as JSON.") var marks: String?
    @Option(help: "Audio format: wav, ogg or mp3 (default: from --output's extension, else wav).") var format: String?
    @Flag(help: "Only extract the passages; speak nothing.") var extractOnly = false
    @Flag(help: "With --extract-only: print JSON {\"lang\", \"passages\": [{\"lang\", \"text\"}]}.") var json = false
    @Option(help: "CSS selector of the reading area when the page has no data-qari-read element.")
    var readSelector: String?
    @Option(help: "The page's charset when it does not say (default: its <meta charset>, else UTF-8).")
    var charset: String?
    @Option(help: "Voice for a language, LANG=VOICE (e.g. zgh=shi); repeatable.") var voice: [String] = []

    func run() async throws {
        let bytes: [UInt8]
        if page == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: page) else { throw CLIError("cannot read \(page)") }
            bytes = Array(data)
        }
        let content: PageContent
        do {
            content = try await PageReader.read(
                bytes: bytes, charset: charset, options: PageOptions(readSelector: readSelector))
        } catch {
            throw CLIError("\(page): \(error)")
        }
        if extractOnly {
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(ExtractedPage(content)), as: UTF8.self))
            } else {
                for p in content.passages { print("[\(p.lang)] \(p.text)") }
            }
            return
        }
        let plan: PagePlan
        do {
            plan = try PagePlan(content: content, overrides: try voiceOverrides(voice))
        } catch let error as PageReadingError {
            throw CLIError("\(page): \(error)")
        }
        let audio = try audioFormat(format, output: output)
        let sink = try audioSink(output)
        let needsVowels = plan.voices.contains { $0.id == "ar" }
        let speaker = try await localSpeaker(for: VoiceCatalog.voice(named: needsVowels ? "ar" : "fr")!)
        let stream = try await speaker.speak(text: plan.text, runs: plan.runs, options: SynthesisOptions())
        let sampleRate = await speaker.pool.sampleRate
        let (allMarks, samples) = try await writeAudio(
            stream, sampleRate: sampleRate, format: audio, sink: sink, toFile: output != nil,
            progressTotal: plan.text.unicodeScalars.count)
        if let marks {
            try writeJSON(plan.document(marks: allMarks, durationMs: samples * 1000 / sampleRate), to: marks)
        }
        await speaker.shutdown()
    }
}

/// `--extract-only --json`: exactly what ../shared/corpus/score.py reads.
struct ExtractedPage: Encodable {
    struct Item: Encodable {
        var lang: String
        var text: String
    }
    var lang: String
    var passages: [Item]

    init(_ content: PageContent) {
        lang = content.lang
        passages = content.passages.map { Item(lang: $0.lang, text: $0.text) }
    }
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

/// Times page extraction (for bench/page, not for people).
struct BenchExtract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-extract", abstract: "Time parsing and extraction of pages.", shouldDisplay: false)

    @Option(help: "Rounds per page.") var rounds = 20
    @Argument(help: "HTML pages.") var pages: [String]

    func run() async throws {
        print("page                                     bytes  parse ms  extract ms  transform ms  (medians)")
        for page in pages {
            guard let data = FileManager.default.contents(atPath: page) else { throw CLIError("cannot read \(page)") }
            let bytes = Array(data)
            var parse: [Double] = []
            var extract: [Double] = []
            var transform: [Double] = []
            let modes = DisplayTransform.Modes(contrast: .dark, scale: 200)
            for _ in 0..<rounds {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let document = try await PageReader.parse(bytes: bytes)
                let t1 = DispatchTime.now().uptimeNanoseconds
                _ = try PageReader.extract(document)
                let t2 = DispatchTime.now().uptimeNanoseconds
                _ = DisplayTransform.transform(document, modes: modes)
                let t3 = DispatchTime.now().uptimeNanoseconds
                parse.append(Double(t1 - t0) / 1e6)
                extract.append(Double(t2 - t1) / 1e6)
                transform.append(Double(t3 - t2) / 1e6)
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            let name = URL(fileURLWithPath: page).lastPathComponent
            print(
                name.pad(40) + String(bytes.count).pad(7)
                    + String(format: "%8.2f %11.2f %13.2f", median(parse), median(extract), median(transform)))
        }
    }
}

struct Transform: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a page high-contrast and/or larger-text (WCAG 2.2 AAA).",
        discussion: """
            Modes: contrast[:dark|:light][:ACCENT] (accents: dark yellow, cyan, green, pink; light blue, purple, \
            green, red) and large[:150-300] (default 200). They combine: --mode contrast --mode large:200.
            """)

    @Option(help: "A display mode; repeat or give a comma list.") var mode: [String] = []
    @Option(name: .shortAndLong, help: "Write the page here (default: stdout).") var output: String?
    @Flag(help: "Print only the stylesheet (for a portal that injects it itself); no PAGE needed.") var css = false
    @Option(help: "The page's charset when it does not say (default: its <meta charset>, else UTF-8).")
    var charset: String?
    @Argument(help: "The page (HTML file; - for stdin).") var page: String?

    func run() async throws {
        let modes: DisplayTransform.Modes
        do {
            modes = try DisplayTransform.Modes.parse(mode)
        } catch {
            throw CLIError("\(error)")
        }
        let result: String
        if css {
            result = DisplayTransform.stylesheet(modes)
        } else {
            guard let page else { throw CLIError("give the PAGE to transform (or --css for the stylesheet alone)") }
            let bytes: [UInt8]
            if page == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: page) else {
                    throw CLIError("cannot read \(page)")
                }
                bytes = Array(data)
            }
            let document: HTMLDocument
            do {
                document = try await PageReader.parse(bytes: bytes, charset: charset)
            } catch {
                throw CLIError("\(page): \(error)")
            }
            result = DisplayTransform.transform(document, modes: modes)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(result.utf8)) else {
                throw CLIError("cannot write \(output)")
            }
        } else {
            FileHandle.standardOutput.write(Data(result.utf8))
        }
    }
}
