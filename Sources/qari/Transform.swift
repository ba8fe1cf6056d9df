import ArgumentParser
import Foundation
import QariPage
import QariReading

struct Transform: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a page high-contrast and/or larger-text (WCAG 2.2 AAA).",
        discussion: """
            Modes: contrast[:dark|:light][:ACCENT] (accents: dark yellow, cyan, green, pink; light blue, purple, \
            green, red) and large[:150-300] (default 200). They combine: --mode contrast --mode large:200.
            """)

    @Option(help: "A display mode; repeat or give a comma list.") var mode: [String] = []
    @Option(name: .shortAndLong, help: "Write the page here (default: stdout).") var output: String?
    @Flag(help: "Print only the stylesheet (for a portal that injects it itself); no PAGE needed.") var css = false
    @Option(help: "The page's charset when it does not say (default: its <meta charset>, else UTF-8).")
    var charset: String?
    @Argument(help: "The page (HTML file; - for stdin).") var page: String?

    func run() async throws {
        let modes: DisplayTransform.Modes
        do {
            modes = try DisplayTransform.Modes.parse(mode)
        } catch {
            throw CLIError("\(error)")
        }
        let result: String
        if css {
            result = DisplayTransform.stylesheet(modes)
        } else {
            guard let page else { throw CLIError("give the PAGE to transform (or --css for the stylesheet alone)") }
            do {
                result = try await PageService(options: PageOptions()).transform(
                    bytes: try readPage(page), charset: charset, modes: mode)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("\(page): \(error)")
            }
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(result.utf8)) else {
                throw CLIError("cannot write \(output)")
            }
        } else {
            FileHandle.standardOutput.write(Data(result.utf8))
        }
    }
}
