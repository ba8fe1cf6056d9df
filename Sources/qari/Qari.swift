import ArgumentParser
import Foundation
import QariSpeech
import QariWorkers

@main
struct Qari: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qari",
        abstract: "Reads Morocco's e-services portal aloud: speech, page reading and display transforms.",
        subcommands: [
            Synth.self, Read.self, Transform.self, Voices.self, Phonemes.self, Normalize.self, Diacritize.self,
            PhonemeErrors.self,
            Serve.self, LexiconCommand.self, ReportsCommand.self, Worker.self,
            Warm.self, CompileVoices.self, BenchExtract.self, PageWorkerCommand.self, WidgetScript.self,
        ])

    /// Runs the command; a user error is one line on stderr and exit status 1 (bad use: 2), never a trace.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            // The command has said what went wrong already.
            Foundation.exit(code.rawValue)
        } catch let error as CLIError {
            fail(error.message, status: 1)
        } catch let error as WorkerError {
            fail("\(error)", status: 1)
        } catch let error as SpeechError {
            fail("\(error)", status: 1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if code == .validationFailure || code.rawValue == 64 {
                var message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
                // `qari phonemes "-60 degrés"`: a text, not an option.
                if let quote = message.range(of: "Unknown option '-"), let next = message[quote.upperBound...].first,
                    next.isNumber || next == " " || message[quote.upperBound...].dropLast().contains(" ")
                {
                    message += " (a text that starts with '-' goes after '--')"
                }
                fail(message.replacingOccurrences(of: "Error: ", with: ""), status: 2)
            }
            let message = fullMessage(for: error)
            fail(message.isEmpty ? "\(error)" : message, status: 1)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        // Several problems (a configuration's, say) are one line each.
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true).map { "qari: \($0)\n" }
        FileHandle.standardError.write(Data(lines.joined().utf8))
        Foundation.exit(status)
    }
}

/// An error the user can act on, reported as one line.
struct CLIError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
