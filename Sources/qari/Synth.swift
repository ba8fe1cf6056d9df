import ArgumentParser
import Foundation
import QariAudio
import QariSpeech
import QariText

struct Synth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Speak text to an audio file or stdout.")

    @OptionGroup var lexiconOptions: LexiconOptions
    @OptionGroup var voiceOptions: VoiceOptions
    @Option(help: "Words per minute (80–450).") var rate: Int = 175
    @Option(help: "Pitch (0–100).") var pitch: Int = 50
    @Option(help: "Volume (0–200).") var volume: Int = 100
    @Option(help: "wav, ogg or mp3 (default: from -o's extension, else wav).") var format: String?
    @Option(name: .shortAndLong, help: "Audio file to write (default: stdout).") var output: String?
    @Option(help: "Write word and sentence marks as JSON to this file.") var marks: String?
    @OptionGroup var textInput: TextInput
    @Flag(help: "The text is SSML (speak, voice, prosody, say-as, break, mark, s, p, sub).") var ssml = false

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
        let input = try textInput.read()
        guard !input.allSatisfy(\.isWhitespace) else { throw CLIError("nothing to say: the text is empty") }
        let sink = try audioSink(output)

        for warning in Speaker.warnings(for: input) { warn(warning) }
        let speaker = try await localSpeaker(for: voice, text: input, lexicons: try lexiconOptions.load())
        let pool = speaker.pool
        var document: SSMLDocument?
        if ssml {
            do {
                document = try SSMLDocument(input)
            } catch {
                throw CLIError("invalid SSML at \(error)")
            }
        }
        let options = SynthesisOptions(rate: rate, pitch: pitch, volume: volume, ssml: ssml)
        let stream = try await speaker.speak(
            SpeechRequest(text: input, voice: voice, options: options, ssml: document))
        let (allMarks, totalSamples) = try await writeAudio(
            stream, sampleRate: await pool.sampleRate, format: format, sink: sink, toFile: output != nil,
            progress: Progress(total: input.unicodeScalars.count))
        if let marks {
            let doc = MarksDocument(durationMs: totalSamples * 1000 / (await pool.sampleRate), marks: allMarks)
            try writeJSON(doc, to: marks)
        }
        await speaker.shutdown()
    }

    private func chooseFormat() throws -> AudioFormat { try audioFormat(format, output: output) }
}
