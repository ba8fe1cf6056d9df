import Foundation
import Hummingbird
import HummingbirdTesting
import QariReading
import QariServer
import QariTestSupport
import Testing

/// A listener reports a mispronounced word: what is kept comes from the reading, bad input is a precise problem,
/// and the store stays bounded, whole and shared.
@Suite(.serialized) struct ReportTests {
    static let key = "report-test-key-0123456789"

    static func post(_ client: any TestClientProtocol, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/reports", method: .post, headers: [.contentType: "application/json"], body: ServerTests.json(body)
        )
    }

    @Test func aReportKeepsTheWordVoiceAndPhonemesOfTheReadingAndBadOnesArePreciseProblems() async throws {
        var configuration = ServerTests.configuration()
        configuration.access.apiKeys = [Self.key]
        configuration.access.reportsPerHour = 14
        try await ServerTests.withApp(configuration) { client in
            let reading = try await ReadingTests.create(client)
            let id = try #require(reading["id"] as? String)
            // "délivré" in "Il est délivré le jour même. …", passage 1; the listener sends offsets, never the word.
            let taken = try await Self.post(
                client, ["reading": id, "passage": 1, "start": 7, "end": 14, "note": "on dit délivré, pas délivre"])
            #expect(taken.status == .created, "\(String(buffer: taken.body))")
            let doc = try ReadingTests.json(taken)
            #expect(doc["word"] as? String == "délivré" && doc["voice"] as? String == "fr")
            #expect((doc["phonemes"] as? String ?? "").contains("delivr"), "\(doc)")
            #expect((doc["id"] as? Int ?? 0) > 0)
            // The Arabic passage: its voice, and phonemes with the vowels the reading restored.
            let arabic = try ReadingTests.json(
                try await Self.post(client, ["reading": id, "passage": 2, "start": 0, "end": 6]))
            #expect(arabic["word"] as? String == "يمكنكم" && arabic["voice"] as? String == "ar", "\(arabic)")
            #expect((arabic["phonemes"] as? String ?? "").contains("j"), "\(arabic)")

            let unknown = try await Self.post(
                client, ["reading": String(repeating: "0", count: 64), "passage": 0, "start": 0, "end": 1])
            _ = try ServerTests.expectProblem(unknown, .notFound, "unknown-reading")
            for (passage, start, end) in [(7, 0, 1), (1, 5, 5), (1, -1, 3), (1, 10, 9999)] {
                let bad = try await Self.post(client, ["reading": id, "passage": passage, "start": start, "end": end])
                _ = try ServerTests.expectProblem(bad, .unprocessableContent, "bad-range")
            }
            // A finger's selection is rarely exact: "êm" is reported as the whole word, its full stop left out of the
            // word and kept against it in the context; a range of only a space and a full stop holds no word.
            let partial = try ReadingTests.json(
                try await Self.post(client, ["reading": id, "passage": 1, "start": 24, "end": 26]))
            #expect(partial["word"] as? String == "même", "\(partial)")
            let noWord = try await Self.post(client, ["reading": id, "passage": 1, "start": 27, "end": 29])
            _ = try ServerTests.expectProblem(noWord, .unprocessableContent, "bad-range")
            let long = try await Self.post(
                client, ["reading": id, "passage": 1, "start": 0, "end": 2, "note": String(repeating: "é", count: 501)])
            _ = try ServerTests.expectProblem(long, .unprocessableContent, "note-too-long")
            for body: [String: Any] in [
                ["reading": id, "passage": "1", "start": 0, "end": 2], ["reading": id, "start": 0],
            ] {
                _ = try ServerTests.expectProblem(try await Self.post(client, body), .badRequest, "invalid-json")
            }
            // Fourteen an hour for this test's client, the refused ones counted too (twelve so far): two more, then 429.
            var statuses: [HTTPResponse.Status] = []
            var refused: TestResponse? = nil
            for _ in 0..<3 {
                let r = try await Self.post(client, ["reading": id, "passage": 1, "start": 0, "end": 2])
                statuses.append(r.status)
                refused = r
            }
            #expect(statuses == [.created, .created, .tooManyRequests])
            _ = try ServerTests.expectProblem(try #require(refused), .tooManyRequests, "rate-limited")
            #expect(Int(refused?.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Operators list them with a key; without one, 401.
            #expect(try await client.execute(uri: "/v1/reports", method: .get).status == .unauthorized)
            let listed = try await client.execute(
                uri: "/v1/reports?voice=fr", method: .get, headers: [.authorization: "Bearer \(Self.key)"])
            let reports = try ReadingTests.json(listed)["reports"] as? [[String: Any]] ?? []
            #expect(reports.first?["word"] as? String == "délivré" || reports.first?["word"] as? String == "Il")
            #expect(reports.contains { $0["note"] as? String == "on dit délivré, pas délivre" })
            #expect(
                reports.contains { $0["context"] as? String == "Il est délivré le jour [même]. Présentez votre carte." }
            )
            #expect(reports.allSatisfy { $0["voice"] as? String == "fr" })
        }
    }

    static func report(_ n: Int) -> Report {
        Report(
            created: Int64(n), reading: "r", passage: 0, start: 0, end: 1, word: "w\(n)", voice: "fr",
            phonemes: "p", context: "c", note: "")
    }

    @Test func aFullStoreDropsTheOldestAndCountsThem() throws {
        let path = Support.temporaryFile("reports") + "/reports.sqlite"
        let store = try ReportStore(path: path, limit: 3)
        for n in 0..<5 { _ = try store.add(Self.report(n)) }
        #expect(try store.count() == 3)
        #expect(try store.all().map(\.word) == ["w2", "w3", "w4"])
        #expect(store.droppedCount == 2)
    }

    @Test func aCorruptDatabaseIsMovedAsideAndANewOneStarted() throws {
        let folder = Support.temporaryFile("reports")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/reports.sqlite"
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        let store = try ReportStore(path: path)
        _ = try store.add(Self.report(1))
        #expect(try store.count() == 1)
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".corrupt-") }
        #expect(aside.count == 1)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: folder + "/" + aside[0])) == Data(repeating: 0x42, count: 8192))
        // Without repair (the command line), a corrupt file is an error and stays as it is.
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path + "2"))
        #expect(throws: (any Error).self) { try ReportStore(path: path + "2", repair: false) }
    }

    /// Two daemons on one host share the file: each its own connections, writing at once, nothing lost.
    @Test func twoWritersOnOneFileLoseNoReport() async throws {
        let path = Support.temporaryFile("reports") + "/reports.sqlite"
        let a = try ReportStore(path: path)
        let b = try ReportStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (store, base) in [(a, 0), (b, 1000)] {
                for k in 0..<4 {
                    group.addTask {
                        for n in 0..<50 { _ = try store.add(Self.report(base + k * 100 + n)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try a.count() == 400 && Set(try b.all().map(\.word)).count == 400)
    }
}
