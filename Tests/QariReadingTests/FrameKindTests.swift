import Foundation
import QariTestSupport
import Testing

@testable import QariReading
@testable import QariSpeech
@testable import QariWorkers

/// Every kind of worker has one table of frame kinds; no number is in two of them, and the Python diacritizer
/// writes the numbers its table says.
@Suite struct FrameKindTests {
    static func table<T: FrameKindTable>(_: T.Type) -> [String: UInt8] {
        Dictionary(uniqueKeysWithValues: T.allCases.map { ("\(T.self).\($0)", $0.rawValue) })
    }

    @Test func noTwoKindsShareANumber() {
        var all: [String: UInt8] = [:]
        for table in [
            Self.table(PoolFrameKind.self), Self.table(SpeechFrameKind.self), Self.table(DiacritizerFrameKind.self),
            Self.table(PageFrameKind.self),
        ] {
            all.merge(table) { a, _ in a }
        }
        var owners: [UInt8: [String]] = [:]
        for (name, number) in all { owners[number, default: []].append(name) }
        let shared = owners.filter { $0.value.count > 1 }
        #expect(shared.isEmpty, "\(shared)")
        #expect(all.count == 13)
    }

    @Test func thePythonDiacritizerWritesItsTablesNumbers() throws {
        let script = try String(
            contentsOf: Support.repoDir.appendingPathComponent("diacritizer/qari_diacritizer.py"), encoding: .utf8)
        var python: [String: UInt8] = [:]
        for line in script.split(separator: "\n") {
            let parts = line.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].hasPrefix("KIND_"), let n = UInt8(parts[1]) { python[parts[0]] = n }
        }
        #expect(
            python == [
                "KIND_DIACRITIZE": DiacritizerFrameKind.diacritize.rawValue,
                "KIND_DIACRITIZED": DiacritizerFrameKind.diacritized.rawValue,
                "KIND_READY": PoolFrameKind.ready.rawValue, "KIND_FAILURE": PoolFrameKind.failure.rawValue,
            ])
    }
}
