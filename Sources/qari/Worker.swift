import ArgumentParser
import Foundation
import QariSpeech

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
