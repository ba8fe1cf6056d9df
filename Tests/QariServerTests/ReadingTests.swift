import Foundation
import Hummingbird
import HummingbirdTesting
import QariReading
import QariServer
import QariSpeech
import QariTestSupport
import QariWorkers
import Testing

@testable import QariPage

/// Readings as the reader button uses them: made once, streamed while made, then served whole with ranges.
@Suite(.serialized) struct ReadingTests {
    static let page = """
        <html lang="fr"><head><title>Certificat</title></head><body><main>
        <h1>Certificat de résidence</h1><p>Il est délivré le jour même. Présentez votre carte.</p>
        <p lang="ar">يمكنكم طلب الشهادة عبر البوابة.</p></main></body></html>
        """

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    static func create(_ client: any TestClientProtocol, _ html: String = page) async throws -> [String: Any] {
        let response = try await client.execute(
            uri: "/v1/readings", method: .post, headers: [.contentType: "text/html; charset=utf-8"],
            body: ByteBuffer(string: html))
        #expect(response.status == .ok)
        return try json(response)
    }

    @Test func aReadingIsMadeOnceStreamedThenServedWithRangesAndValidators() async throws {
        var configuration = ServerTests.configuration()
        let cache = Support.temporaryFile("cache")
        configuration.cache = CacheConfiguration(directory: cache)
        defer { try? FileManager.default.removeItem(atPath: cache) }
        try await ServerTests.withApp(configuration) { client in
            let reading = try await Self.create(client)
            let id = try #require(reading["id"] as? String)
            #expect(id.count == 64 && reading["lang"] as? String == "fr" && reading["cached"] as? Bool == false)
            let passages = reading["passages"] as? [[String: Any]] ?? []
            #expect(passages.map { $0["voice"] as? String } == ["fr", "fr", "ar"])
            #expect(passages.allSatisfy { ($0["locator"] as? [Any])?.isEmpty == false })
            let audio = reading["audio"] as? [String: String] ?? [:]
            #expect(audio["ogg"] == "/v1/readings/\(id)/audio.ogg" && audio["mp3"] == "/v1/readings/\(id)/audio.mp3")

            // Two citizens at once: one synthesis, the same bytes for both.
            async let first = client.execute(uri: audio["ogg"]!, method: .get)
            async let second = client.execute(uri: audio["ogg"]!, method: .get)
            let (a, b) = try await (first, second)
            #expect(a.status == .ok && b.status == .ok && a.body == b.body)
            let seconds = try Support.decodedDuration(Data(buffer: a.body), ext: "ogg")
            let marks = try await client.execute(uri: "/v1/readings/\(id)/marks.json", method: .get)
            let doc = try Self.json(marks)
            let duration = try #require(doc["duration_ms"] as? Int)
            #expect(abs(seconds * 1000 - Double(duration)) < 200, "\(seconds) s against \(duration) ms")
            let words = (doc["marks"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "word" }
            let written = passages.flatMap { Support.words($0["text"] as? String ?? "") }
            #expect(words.count == written.count, "every word of the three passages")
            #expect(marks.headers[.cacheControl] == "public, max-age=31536000, immutable")

            // Finished: from the cache, whole or in ranges, with validators; the same page again costs nothing.
            let again = try await Self.create(client)
            #expect(again["id"] as? String == id && again["cached"] as? Bool == true)
            let whole = try await client.execute(uri: audio["ogg"]!, method: .get)
            #expect(whole.body == a.body)
            #expect(whole.headers[.contentLength] == String(a.body.readableBytes))
            #expect(whole.headers[.acceptRanges] == "bytes")
            let etag = try #require(whole.headers[.eTag])
            let part = try await client.execute(uri: audio["ogg"]!, method: .get, headers: [.range: "bytes=100-199"])
            #expect(part.status == .partialContent && part.body.readableBytes == 100)
            #expect(part.headers[.contentRange] == "bytes 100-199/\(a.body.readableBytes)")
            #expect([UInt8](part.body.readableBytesView) == Array([UInt8](a.body.readableBytesView)[100..<200]))
            let tail = try await client.execute(uri: audio["ogg"]!, method: .get, headers: [.range: "bytes=-10"])
            #expect(tail.status == .partialContent && tail.body.readableBytes == 10)
            let notModified = try await client.execute(uri: audio["ogg"]!, method: .get, headers: [.ifNoneMatch: etag])
            #expect(notModified.status == .notModified)
            let outside = try await client.execute(
                uri: audio["ogg"]!, method: .get, headers: [.range: "bytes=99999999-"])
            _ = try ServerTests.expectProblem(outside, .rangeNotSatisfiable, "range-not-satisfiable")
            #expect(outside.headers[.contentRange] == "bytes */\(a.body.readableBytes)")
            let mp3 = try await client.execute(uri: audio["mp3"]!, method: .get)
            #expect(mp3.headers[.contentType] == "audio/mpeg")
            #expect(abs(try Support.decodedDuration(Data(buffer: mp3.body), ext: "mp3") - seconds) < 0.2)

            // The marks as a stream of lines and as WebVTT say the same.
            let stream = try await client.execute(uri: "/v1/readings/\(id)/marks.ndjson", method: .get)
            let lines = String(buffer: stream.body).split(separator: "\n").map {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(lines.last??["type"] as? String == "end" && lines.last??["duration_ms"] as? Int == duration)
            #expect(lines.dropLast().filter { $0?["type"] as? String == "word" }.count == words.count)
            let vtt = String(buffer: try await client.execute(uri: "/v1/readings/\(id)/marks.vtt", method: .get).body)
            #expect(vtt.hasPrefix("WEBVTT\n\n") && vtt.contains("\nCertificat\n") && vtt.contains("\nالبوابة"))
        }
        // A new daemon on the same cache serves the reading without making it again.
        try await ServerTests.withApp(configuration) { client in
            let reading = try await Self.create(client)
            #expect(reading["cached"] as? Bool == true)
            let id = reading["id"] as! String
            let audio = try await client.execute(uri: "/v1/readings/\(id)/audio.ogg", method: .get)
            #expect(audio.status == .ok && audio.headers[.contentLength] != nil)
            let known = try await client.execute(uri: "/v1/readings/\(id)", method: .get)
            #expect(try Self.json(known)["id"] as? String == id)
        }
    }

    @Test func withoutACacheAFinishedReadingIsStillServedWholeAndInRanges() async throws {
        var configuration = ServerTests.configuration()
        configuration.cache = CacheConfiguration(directory: nil)
        try await ServerTests.withApp(configuration) { client in
            let reading = try await Self.create(client)
            let ogg = (reading["audio"] as! [String: String])["ogg"]!
            let live = try await client.execute(uri: ogg, method: .get)
            #expect(live.status == .ok && live.headers[.cacheControl] == "no-store")
            let whole = try await client.execute(uri: ogg, method: .get)
            #expect(whole.body == live.body && whole.headers[.contentLength] == String(live.body.readableBytes))
            let part = try await client.execute(uri: ogg, method: .get, headers: [.range: "bytes=0-9"])
            #expect(part.status == .partialContent && part.body.readableBytes == 10)
            let health = try Self.json(try await client.execute(uri: "/health", method: .get))
            let readings = health["readings"] as? [String: Any] ?? [:]
            #expect(readings["syntheses"] as? Int == 1 && readings["cache"] == nil)
        }
    }

    @Test func unknownReadingsAndFilesAreProblems() async throws {
        try await ServerTests.withApp { client in
            let bad = try await client.execute(uri: "/v1/readings/../../etc/passwd", method: .get)
            #expect(bad.status == .notFound)
            let notAnID = try await client.execute(uri: "/v1/readings/xyz/audio.ogg", method: .get)
            _ = try ServerTests.expectProblem(notAnID, .notFound, "unknown-reading")
            let unknown = try await client.execute(
                uri: "/v1/readings/\(String(repeating: "ab", count: 32))/audio.ogg", method: .get)
            _ = try ServerTests.expectProblem(unknown, .notFound, "unknown-reading")
            let id = try await Self.create(client)["id"] as! String
            let file = try await client.execute(uri: "/v1/readings/\(id)/audio.wav", method: .get)
            _ = try ServerTests.expectProblem(file, .notFound, "not-found")
            let empty = try await client.execute(
                uri: "/v1/readings", method: .post, headers: [.contentType: "text/html"],
                body: ByteBuffer(string: "<nav><a href=/>x</a></nav>"))
            _ = try ServerTests.expectProblem(empty, .unprocessableContent, "nothing-to-read")
        }
    }

    /// A reading whose making ended without its marks (its audio given up by every listener) tells the client to
    /// retry, as a busy pool does, and is never an internal error.
    @Test func marksThatEndedUnmadeAreA503ToRetry() throws {
        let problem = Problem(MarksUnavailable())
        #expect(problem.status == .serviceUnavailable)
        #expect(problem.code == "unavailable")
        #expect(problem.headers[.retryAfter] == "1")
        let response = problem.response()
        #expect(response.headers[.contentType] == "application/problem+json")
    }

    @Test func theStoreKeepsWholeReadingsWithinItsLimit() async throws {
        let folder = Support.temporaryFile("store")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ids = (0..<3).map { ContentHash.sha256(Array("reading \($0)".utf8)) }
        let store = try ReadingStore(directory: folder, limit: 2500)
        for id in ids.prefix(2) { try await store.save(id, files: ["audio.ogg": Array(repeating: 1, count: 1000)]) }
        _ = await store.file(ids[0], "audio.ogg")  // the first is used again: the second is older now
        try await store.save(ids[2], files: ["audio.ogg": Array(repeating: 2, count: 1000)])
        let kept = [await store.contains(ids[0]), await store.contains(ids[1]), await store.contains(ids[2])]
        #expect(kept == [true, false, true])
        let stats = await store.statistics()
        #expect(stats.evictions == 1 && stats.bytes == 2000)
        // A folder left half-written by a crash is never served, and is removed when the store opens.
        try FileManager.default.createDirectory(
            atPath: folder + "/" + ids[1] + ".tmp2147483646-1", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/" + ids[1], withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/" + ids[1] + "/audio.ogg"))
        let reopened = try ReadingStore(directory: folder, limit: 2500)
        let after = [await reopened.contains(ids[0]), await reopened.contains(ids[1]), await reopened.contains(ids[2])]
        #expect(after == [true, false, true])
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + ids[1] + ".tmp2147483646-1"))
        #expect(ReadingStore.isID(String(repeating: "a", count: 64)))
        #expect(!ReadingStore.isID("../" + String(repeating: "a", count: 61)))
    }

    @Test func daemonsSharingAFolderServeEachOthersReadingsAndNeverHalfOne() async throws {
        let folder = Support.temporaryFile("shared-store")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ids = (0..<3).map { ContentHash.sha256(Array("shared \($0)".utf8)) }
        let a = try ReadingStore(directory: folder, limit: 2500)
        let b = try ReadingStore(directory: folder, limit: 2500)
        // A plan kept by one daemon when the reading was asked for: the other can make the reading.
        await a.savePlan(ids[0], Array("{\"plan\": 1}".utf8))
        #expect(await b.plan(ids[0]).map { String(decoding: $0, as: UTF8.self) } == "{\"plan\": 1}")
        #expect(await b.plan("../" + ids[0].dropFirst(3)) == nil)
        // A reading one stored is served by the other.
        try await a.save(ids[0], files: ["audio.ogg": Array(repeating: 1, count: 1000)])
        let path = try #require(await b.file(ids[0], "audio.ogg"))
        #expect(FileManager.default.contents(atPath: path)?.count == 1000)
        // Both made the same reading: the second save keeps the first, no error.
        try await b.save(ids[0], files: ["audio.ogg": Array(repeating: 1, count: 1000)])
        // One evicts it: the other stops serving it at once, and never a folder without its files.
        try await a.save(ids[1], files: ["audio.ogg": Array(repeating: 2, count: 1000)])
        try await a.save(ids[2], files: ["audio.ogg": Array(repeating: 3, count: 1000)])
        #expect(await a.contains(ids[0]) == false)
        #expect(await b.file(ids[0], "audio.ogg") == nil)
        // A temporary folder of a daemon still running is left to it when another opens the store.
        let mine = folder + "/" + ids[1] + ".tmp\(getpid())-77"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        _ = try ReadingStore(directory: folder, limit: 2500)
        #expect(FileManager.default.fileExists(atPath: mine))
    }

    @Test func theIDDependsOnWhatIsSpokenAndTheVersions() throws {
        let content = PageContent(
            lang: "fr", title: "a", passages: [Passage(lang: "fr", text: "Bonjour.", locator: [])])
        let plan = try PagePlan(content: content)
        let v1 = ReadingVersions(engine: "1.51", voices: "a", diacritizer: "b")
        var v2 = v1
        v2.voices = "c"
        #expect(Reading(plan: plan, versions: v1).id == Reading(plan: plan, versions: v1).id)
        #expect(Reading(plan: plan, versions: v1).id != Reading(plan: plan, versions: v2).id)
        #expect(
            Reading(plan: plan, versions: v1).id != Reading(plan: plan, options: .init(rate: 200), versions: v1).id)
        let shi = try PagePlan(
            content: PageContent(lang: "zgh", title: "", passages: [Passage(lang: "zgh", text: "ⴰⵣⵓⵍ", locator: [])]))
        let tachelhit = try PagePlan(content: shi.content, overrides: ["zgh": "shi"])
        #expect(Reading(plan: shi, versions: v1).id != Reading(plan: tachelhit, versions: v1).id)
        // Another lexicon: another reading, so cached audio of the old pronunciation is never served for it.
        #expect(
            Reading(plan: plan, versions: v1, lexicons: "a1").id != Reading(plan: plan, versions: v1, lexicons: "b2").id
        )
        #expect(Reading(plan: plan, versions: v1, lexicons: "a1").id != Reading(plan: plan, versions: v1).id)
    }
}
