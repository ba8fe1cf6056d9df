import ArgumentParser
import Foundation
import QariPage
import QariReading
import QariSpeech
import QariText

struct Read: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a service page aloud: its main content, each passage in its language's voice.")

    @Argument(help: "The page (HTML file; - for stdin).") var page: String
    @OptionGroup var lexiconOptions: LexiconOptions
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
        let bytes = try readPage(page)
        let content: PageContent
        do {
            content = try await PageService(options: PageOptions(readSelector: readSelector)).read(
                bytes: bytes, charset: charset)
        } catch {
            throw CLIError("\(page): \(error)")
        }
        if extractOnly {
            guard !content.passages.isEmpty else { throw CLIError("\(page): \(ReadingError.nothingToRead)") }
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
        } catch {
            throw CLIError("\(page): \(error)")
        }
        let audio = try audioFormat(format, output: output)
        let sink = try audioSink(output)
        let needsVowels = plan.voices.contains { $0.id == "ar" }
        let speaker = try await localSpeaker(
            for: VoiceCatalog.voice(named: needsVowels ? "ar" : "fr")!, lexicons: try lexiconOptions.load())
        let stream = try await speaker.speak(passages: plan.passages, options: SynthesisOptions())
        let sampleRate = await speaker.sampleRate
        // Progress counts code points of the whole page: where each passage starts.
        var starts: [Int] = []
        var total = 0
        for p in plan.passages {
            starts.append(total)
            total += p.text.unicodeScalars.count + 1
        }
        let (allMarks, samples) = try await writeAudio(
            stream, sampleRate: sampleRate, format: audio, sink: sink, toFile: output != nil,
            progress: Progress(total: total) { starts[$0.passage] + $0.start })
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
