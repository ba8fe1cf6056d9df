import ArgumentParser
import Foundation
import QariSpeech
import QariText

/// `qari lexicon`: work on pronunciation lexicons.
struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon", abstract: "Work on pronunciation lexicons (W3C PLS 1.0).", subcommands: [Check.self])

    /// `qari lexicon check FILE…`: validates each file, phonemes included.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check lexicons: well-formed PLS, every phoneme known to the language's voice.")

        @Argument(help: "The PLS files.") var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one lexicon file") }
        }

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let lexicon = try Lexicon(contentsOf: file)
                    let aliases = lexicon.entries.filter { $0.alias != nil }.count
                    print(
                        "\(file): \(lexicon.language), \(lexicon.entries.count) entries (\(aliases) aliases, "
                            + "\(lexicon.entries.count - aliases) phonemes)")
                } catch {
                    // Every file is checked; each bad one is a line.
                    FileHandle.standardError.write(Data("qari: \(error)\n".utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
