import ArgumentParser
import QariSpeech
import QariText

struct Normalize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what the voice is given: numbers, dates, money, symbols and abbreviations in words.",
        discussion: """
            One line out for each line in. Lexicon aliases are applied and a lexicon's phonemes show as [[…]]; no \
            vowel marks are added. A text that starts with '-' goes after '--': qari normalize --voice fr -- "-60 °C".
            """)

    @OptionGroup var lexiconOptions: LexiconOptions
    @OptionGroup var voiceOptions: VoiceOptions
    @OptionGroup var textInput: TextInput

    func run() async throws {
        let voice = try voiceOptions.resolved()
        let input = try textInput.read()
        let lexicons = try lexiconOptions.load().current
        var lines = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 1, lines.last == "" { lines.removeLast() }
        for line in lines {
            print(TextPreparation.normalized(line, voice: voice, lexicons: lexicons))
        }
    }
}
