import Foundation

/// The state file: one line per page done, written as each is done, so an interruption loses none.
final class WarmLog: Sendable {
    let path: String
    let done: Set<String>
    let handle: FileHandle

    init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CLIError("\(path): cannot write the state file")
            }
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        // A line cut short by a kill mid-write names no page: only whole lines count.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let torn = !text.isEmpty && !text.hasSuffix("\n")
        lines.removeLast()
        done = Set(lines.filter { !$0.isEmpty })
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("\(path): cannot write it") }
        handle.seekToEndOfFile()
        if torn { handle.write(Data("\n".utf8)) }
        self.handle = handle
    }

    /// Remembers `page` as done (one `write` of a whole line: lines of two connections never mix).
    func record(_ page: String) {
        handle.write(Data((page + "\n").utf8))
    }
}
