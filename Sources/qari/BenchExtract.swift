import ArgumentParser
import Foundation
import QariPage

/// Times page extraction (for bench/page, not for people).
struct BenchExtract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-extract", abstract: "Time parsing and extraction of pages.", shouldDisplay: false)

    @Option(help: "Rounds per page.") var rounds = 20
    @Option(help: "Write each page's extracted text to DIR/NAME.txt (or its error to NAME.err) instead of timing.")
    var texts: String?
    @Argument(help: "HTML pages.") var pages: [String]

    func run() async throws {
        if let texts { return try await writeTexts(to: texts) }
        print("page                                     bytes  parse ms  extract ms  transform ms  (medians)")
        for page in pages {
            guard let data = FileManager.default.contents(atPath: page) else { throw CLIError("cannot read \(page)") }
            let bytes = Array(data)
            var parse: [Double] = []
            var extract: [Double] = []
            var transform: [Double] = []
            let modes = DisplayTransform.Modes(contrast: .dark, scale: 200)
            for _ in 0..<rounds {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let document = try await PageReader.parse(bytes: bytes)
                let t1 = DispatchTime.now().uptimeNanoseconds
                _ = try PageReader.extract(document)
                let t2 = DispatchTime.now().uptimeNanoseconds
                _ = DisplayTransform.transform(document, modes: modes)
                let t3 = DispatchTime.now().uptimeNanoseconds
                parse.append(Double(t1 - t0) / 1e6)
                extract.append(Double(t2 - t1) / 1e6)
                transform.append(Double(t3 - t2) / 1e6)
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            let name = URL(fileURLWithPath: page).lastPathComponent
            print(
                name.pad(40) + String(bytes.count).pad(7)
                    + String(format: "%8.2f %11.2f %13.2f", median(parse), median(extract), median(transform)))
        }
    }

    /// For bench/extract-peer: one file per page, the passages one per line.
    func writeTexts(to directory: String) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for page in pages {
            guard let data = FileManager.default.contents(atPath: page) else { throw CLIError("cannot read \(page)") }
            let name = URL(fileURLWithPath: page).deletingPathExtension().lastPathComponent
            let base = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            let result: (String, String)
            do {
                let content = try PageReader.extract(try await PageReader.parse(bytes: Array(data)))
                result = ("txt", content.passages.map(\.text).joined(separator: "\n"))
            } catch {
                result = ("err", "\(error)")
            }
            try Data(result.1.utf8).write(to: URL(fileURLWithPath: base + "." + result.0))
        }
    }
}
