import ArgumentParser
import QariSpeech

struct Phonemes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the phonemes eSpeak NG would speak.")

    @OptionGroup var lexiconOptions: LexiconOptions
    @OptionGroup var voiceOptions: VoiceOptions
    @Flag(help: "IPA instead of eSpeak mnemonics.") var ipa = false
    @OptionGroup var textInput: TextInput

    func run() async throws {
        let voice = try voiceOptions.resolved()
        let input = try textInput.read()
        guard !input.allSatisfy(\.isWhitespace) else { throw CLIError("nothing to transcribe: the text is empty") }
        for warning in Speaker.warnings(for: input) { warn(warning) }
        let speaker = try await localSpeaker(for: voice, text: input, lexicons: try lexiconOptions.load())
        let result = try await speaker.phonemes(input, voice: voice, ipa: ipa)
        print(result)
        await speaker.shutdown()
    }
}
