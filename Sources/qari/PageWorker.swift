import ArgumentParser
import Foundation
import QariReading

/// Parses, reads and transforms pages for the daemon over stdin/stdout (not for people): libgumbo parses
/// untrusted HTML in C, so it runs here, where a fault costs one request.
struct PageWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "page-worker", abstract: "Serve page requests on stdin/stdout (used by the daemon).",
        shouldDisplay: false)

    func run() throws {
        Foundation.exit(PageWorker.serve())
    }
}
