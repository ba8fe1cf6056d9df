import Foundation
import Glibc

/// The count so far, drawn as a bar with an ETA on a terminal, and the summary at the end.
actor WarmProgress {
    let total: Int
    let already: Int
    let started = ContinuousClock.now
    let terminal = isatty(2) != 0
    var made = 0
    var reused = 0
    var skipped: [(String, String)] = []
    var failures: [(String, String)] = []
    var passages = 0
    var finished = 0

    init(total: Int, already: Int) {
        self.total = total
        self.already = already
    }

    func add(_ page: WarmPage, _ outcome: WarmOutcome) {
        finished += 1
        switch outcome {
        case .made(let n):
            made += 1
            passages += n
        case .reused(let n):
            reused += 1
            passages += n
        case .skipped(let why): skipped.append((page.description, why))
        case .failed(let why):
            failures.append((page.description, why))
            if !terminal { FileHandle.standardError.write(Data("failed: \(page): \(why)\n".utf8)) }
        }
        draw()
    }

    func draw() {
        guard terminal else { return }
        let todo = total - already
        let width = 30
        let filled = todo == 0 ? width : width * finished / todo
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let eta = finished == 0 ? "?" : Self.duration(seconds / Double(finished) * Double(todo - finished))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\r[\(bar)] \(already + finished)/\(total) pages, \(failures.count) failed, ETA \(eta) "
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : s < 3600 ? "\(s / 60) min \(s % 60) s" : "\(s / 3600) h \(s % 3600 / 60) min"
    }

    func finish() -> (text: String, failed: Int) {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        var lines = [
            "pages \(total) (\(already) done before), passages \(passages), made \(made), reused \(reused), "
                + "skipped \(skipped.count), failed \(failures.count)"
        ]
        lines += skipped.map { "skipped: \($0.0): \($0.1)" }
        lines += failures.map { "failed: \($0.0): \($0.1)" }
        return (lines.joined(separator: "\n"), failures.count)
    }
}
