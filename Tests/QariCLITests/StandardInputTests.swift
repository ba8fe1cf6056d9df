import Foundation
import QariTestSupport
import Testing

/// Text piped in (`-`, `--file -`, `/dev/stdin`), and WAV files that say their true length.
@Suite struct StandardInputTests {
    /// The data size a WAV header gives, and whether it and the RIFF size match the bytes that came.
    static func headerLength(_ wav: Data) -> (dataBytes: UInt32, true: Bool) {
        let bytes = [UInt8](wav)
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        guard bytes.count >= 44, bytes[36..<40].elementsEqual("data".utf8) else { return (0, false) }
        return (u32(40), Int(u32(40)) == bytes.count - 44 && Int(u32(4)) == bytes.count - 8)
    }

    @Test func everyTextCommandReadsStandardInput() throws {
        let text = "Mᵐᵉ Alaoui paie 3/4 du montant"
        for command in [["normalize", "-v", "fr"], ["phonemes", "-v", "fr"]] {
            let given = try CLITests.run(command + [text])
            #expect(given.status == 0, "\(given.err)")
            for stdin in [["-"], ["--file", "-"], ["--file", "/dev/stdin"]] {
                let piped = try CLITests.run(command + stdin, stdin: text)
                #expect(piped.status == 0 && piped.out == given.out, "\(command + stdin): \(piped.err)")
            }
        }
        let arabic = try CLITests.run(["diacritize", "--file", "/dev/stdin"], stdin: "طلب نسخة من رسم الولادة")
        #expect(arabic.status == 0, "\(arabic.err)")
        let marks = String(decoding: arabic.out, as: UTF8.self).unicodeScalars.filter {
            (0x064B...0x0652).contains($0.value)
        }
        #expect(marks.count >= 5, "\(String(decoding: arabic.out, as: UTF8.self))")
        let missing = try CLITests.run(["normalize", "--file", "/nonexistent/text.txt"])
        #expect(missing.status != 0 && missing.err == "qari: cannot read /nonexistent/text.txt\n", "\(missing.err)")
    }

    @Test func aWAVMadeWholeSaysItsTrueLengthAndAStreamedOneDoesNot() throws {
        let file = CLITests.tmp("wav")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let synth = try CLITests.run(
            ["synth", "-v", "fr", "--file", "-", "-o", file], stdin: "Votre demande est prête.")
        #expect(synth.status == 0, "\(synth.err)")
        let written = try Data(contentsOf: URL(fileURLWithPath: file))
        let header = Self.headerLength(written)
        #expect(header.true && header.dataBytes > 22_050, "\(header) for \(written.count) bytes")
        // stdout sent to a file is a file too.
        let shell = try Support.run(
            "/bin/sh", ["-c", "\"$0\" synth -v fr 'Bonjour à tous.' > \"$1\"", CLITests.qari, file])
        #expect(shell.status == 0, "\(shell.err)")
        #expect(Self.headerLength(try Data(contentsOf: URL(fileURLWithPath: file))).true)
        // Through a pipe the first bytes leave before the length is known: the header says "unknown".
        let piped = try CLITests.run(["synth", "-v", "fr", "Bonjour à tous."])
        #expect(piped.status == 0 && Self.headerLength(piped.out).dataBytes == 0xFFFF_FFFF)
    }
}
