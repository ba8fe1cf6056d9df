import Foundation
import Glibc
import QariWorkers
import Testing

@testable import QariSpeech

/// Installed from the package (`PREFIX/bin/qari`), Qari finds its files under `PREFIX/share/qari` and its
/// diacritizer under `PREFIX/lib/qari`; built in a clone, it finds the clone.
@Suite struct InstalledLayoutTests {
    @Test func anInstalledBinaryLooksUnderItsPrefixAndACloneBuildDoesNot() {
        #expect(installedPrefix(executable: "/usr/bin/qari") == "/usr")
        #expect(qariHomeCandidates(executable: "/usr/bin/qari").last == "/usr/share/qari")
        #expect(installedPrefix(executable: "/opt/qari/.build/release/qari") == nil)
        #expect(installedPrefix(executable: "/bin/qari") == nil)
        let clone = qariHomeCandidates(executable: "/opt/qari/.build/release/qari")
        #expect(clone.contains("/opt/qari") && !clone.contains { $0.hasSuffix("/share/qari") }, "\(clone)")
    }

    @Test func theDiacritizerIsFoundWhereThePackageInstallsIt() throws {
        let prefix = NSTemporaryDirectory() + "qari-prefix-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/lib/qari/diacritizer", withIntermediateDirectories: true)
        #expect(DiacritizerLocation.find(executable: prefix + "/bin/qari") == nil)
        fm.createFile(atPath: prefix + "/bin/python3", contents: Data(), attributes: [.posixPermissions: 0o755])
        fm.createFile(atPath: prefix + "/lib/qari/diacritizer/qari_diacritizer.py", contents: Data("#".utf8))
        let found = DiacritizerLocation.find(executable: prefix + "/bin/qari")
        #expect(
            found
                == DiacritizerLocation(
                    python: prefix + "/bin/python3", script: prefix + "/lib/qari/diacritizer/qari_diacritizer.py"))
    }
}
