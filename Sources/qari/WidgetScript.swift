import ArgumentParser
import Foundation
import QariServer

/// `qari widget-script`: the reader button's `qari.js` as the daemon serves it; `make sri` hashes these bytes.
struct WidgetScript: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "widget-script", abstract: "Print the reader button's qari.js, as the daemon serves it.",
        shouldDisplay: false)

    @Option(help: "The widget folder (default: Public/ of the Qari folder).") var folder: String?

    func run() throws {
        guard let folder = folder ?? ServerConfiguration.qariFolder("Public") else {
            throw CLIError("no widget folder (Public/)")
        }
        do {
            guard let bytes = try WidgetBundle.script(folder + "/qari") else {
                throw CLIError("no modules in \(folder)/qari")
            }
            FileHandle.standardOutput.write(Data(bytes))
        } catch let error as WidgetBundle.Failure {
            throw CLIError("the reader button's modules do not join: \(error)")
        }
    }
}
