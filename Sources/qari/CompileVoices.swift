import ArgumentParser
import QariSpeech

/// Builds the private eSpeak NG data directory with the Amazigh voices (run by workers, not by people).
struct CompileVoices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile-voices", abstract: "Compile voices/ into an eSpeak NG data directory.",
        shouldDisplay: false)

    @Option(help: "The voices/ folder of the repo.")
    var voices: String

    @Option(help: "The data directory to create.")
    var output: String

    func run() throws {
        do {
            try EspeakData.compile(voices: voices, output: output)
        } catch {
            throw CLIError("\(error)")
        }
    }
}
