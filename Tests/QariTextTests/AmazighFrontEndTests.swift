import Foundation
import QariTestSupport
import Testing

@testable import QariText

/// The Amazigh front end alone: what it makes of text the fuzzer found.
@Suite struct AmazighFrontEndTests {
    /// Found by `make fuzz` (FuzzAmazigh): a run of 46 digits overflowed while the front end looked for a date.
    @Test func longRunsOfDigitsAreReadNotFatal() throws {
        let digits = String(repeating: "7", count: 46)
        for variety in AmazighVariety.allCases {
            let prepared = AmazighFrontEnd.prepare("ⴰⵣⵓⵍ \(digits) ⴰⵎⴷⴷⴰⴽⴽⵯⵍ", variety: variety)
            #expect(!prepared.spoken.spokenString.isEmpty)
        }
        let folder = Support.repoDir.appendingPathComponent("Tests/Fuzz/regressions")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where name.hasPrefix("FuzzAmazigh-") {
            let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
            for variety in AmazighVariety.allCases { _ = AmazighFrontEnd.prepare(text, variety: variety) }
        }
    }
}
