import ArgumentParser
import Foundation
import QariPage
import QariSpeech

@main
struct Qari: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qari",
        abstract: "Reads Morocco's e-services portal aloud: speech, page reading and display transforms.",
        subcommands: [
            Synth.self, Read.self, Transform.self, Voices.self, Phonemes.self, Diacritize.self, PhonemeErrors.self,
            Serve.self, Worker.self,
            CompileVoices.self, BenchExtract.self, PageWorker.self,
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
        } catch let error as CLIError {
            fail(error.message, status: 1)
        } catch let error as SpeechError {
            fail("\(error)", status: 1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if code == .validationFailure || code.rawValue == 64 {
                let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
                fail(message.replacingOccurrences(of: "Error: ", with: ""), status: 2)
            }
            let message = fullMessage(for: error)
            fail(message.isEmpty ? "\(error)" : message, status: 1)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("qari: \(message)\n".utf8))
        Foundation.exit(status)
    }
}

/// An error the user can act on, reported as one line.
struct CLIError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Runs the engine for requests from the daemon over stdin/stdout (not for people).
struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve speech requests on stdin/stdout (used by the daemon).", shouldDisplay: false)

    @Option(help: "eSpeak NG data directory.")
    var dataPath: String?

    func run() throws {
        let status = SpeechWorker.run(dataPath: dataPath)
        Foundation.exit(status)
    }
}

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

/// Parses, reads and transforms pages for the daemon over stdin/stdout (not for people): libgumbo parses
/// untrusted HTML in C, so it runs here, where a fault costs one request.
struct PageWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "page-worker", abstract: "Serve page requests on stdin/stdout (used by the daemon).",
        shouldDisplay: false)

    func run() throws {
        let encoder = JSONEncoder()
        let status = RequestWorker.run { message in
            guard case .page(let id, let request, let body) = message else {
                return .failure(id: 0, message: "a page worker accepts only page requests")
            }
            guard let job = try? JSONDecoder().decode(PageWork.Job.self, from: Data(request.utf8)) else {
                return .failure(id: id, message: "the page request is not a page job")
            }
            let result = PageWork.perform(job, bytes: body)
            guard let data = try? encoder.encode(result) else {
                return .failure(id: id, message: "the page result could not be encoded")
            }
            return .pageResult(id: id, body: Array(data))
        }
        Foundation.exit(status)
    }
}
