import Glibc
import Testing

@testable import QariWorkers

/// A child gets its own descriptors and nothing else the daemon (or a test beside it) has open.
@Suite struct SubprocessTests {
    @Test func aChildHoldsNoDescriptorButItsOwn() throws {
        // A pipe opened without close-on-exec, as code beside the pool may open one, moved to a high number.
        var leaked: [Int32] = [0, 0]
        #expect(pipe(&leaked) == 0)
        let high = dup2(leaked[1], 200)
        #expect(high == 200)
        defer { [leaked[0], leaked[1], high].forEach { close($0) } }
        var out: [Int32] = [0, 0]
        #expect(pipe(&out) == 0)
        let pid = try Subprocess.spawn(
            WorkerCommand(executable: "/bin/ls", arguments: ["/proc/self/fd"]), fds: [(1, out[1])])
        close(out[1])
        var listing: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let n = read(out[0], &buffer, buffer.count), n > 0 { listing += buffer[0..<n] }
        close(out[0])
        #expect(Subprocess.wait(pid) == 0)
        let fds = Set(String(decoding: listing, as: UTF8.self).split(separator: "\n").compactMap { Int($0) })
        // 0 to 2, and the one ls opened to list the folder: not the leaked pipe's ends.
        #expect(fds.isSubset(of: [0, 1, 2, 3]), "the child holds \(fds.sorted())")
        #expect(fds.isSuperset(of: [0, 1, 2]))
    }
}
