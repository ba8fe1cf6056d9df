import Foundation
import QariTestSupport
import Testing

@testable import QariPage
@testable import QariReading
@testable import QariSpeech

/// What a reading costs: the MP3 only when someone asks for it, and no synthesis for a page nobody hears.
@Suite(.serialized) struct ReadingsTests {
    static func plan(_ text: String, lang: String = "fr") throws -> PagePlan {
        try PagePlan(
            content: PageContent(lang: lang, title: "", passages: [Passage(lang: lang, text: text, locator: [])]))
    }

    static func readings(store: ReadingStore?, abandonAfter: Duration = .seconds(5)) async throws -> Readings {
        Readings(
            speaker: Speaker(pool: try await Support.pool()), store: store,
            versions: ReadingVersions(engine: "test", voices: "test", diacritizer: "none"),
            abandonAfter: abandonAfter)
    }

    static func bytes(_ audio: Readings.Audio) async throws -> [UInt8] {
        switch audio {
        case .bytes(let b): return b
        case .file(let directory, let name):
            return Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        case .live(let stream):
            var all: [UInt8] = []
            for try await chunk in stream { all += chunk }
            return all
        }
    }

    /// Waits (polling, with a generous bound) until `condition` holds.
    static func eventually(_ what: String, _ condition: () async -> Bool) async throws {
        for _ in 0..<600 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what)")
    }

    /// The front door: a page's bytes in, a reading out; its audio as a stored file, its marks as NDJSON lines
    /// while made and as WebVTT after, with the same words.
    @Test func aPageGoesInAndTheReadingGivesItsAudioAndMarks() async throws {
        let folder = Support.temporaryFile("store")
        let store = try ReadingStore(directory: folder, limit: 100_000_000)
        let readings = try await Self.readings(store: store)
        let html =
            "<html lang=fr><body><main><h1>Carte nationale</h1><p>Le dépôt se fait au commissariat.</p>"
            + "</main></body></html>"
        let (reading, cached) = try await readings.read(PageInput(bytes: Array(html.utf8)))
        #expect(!cached)
        #expect(reading.plan.content.passages.map(\.text) == ["Carte nationale", "Le dépôt se fait au commissariat."])
        var lines: [[String: Any]] = []
        var pending: [UInt8] = []
        try await readings.writeMarkLines(reading) { chunk in
            pending += chunk
            while let end = pending.firstIndex(of: 0x0A) {
                lines.append(try JSONSerialization.jsonObject(with: Data(pending[..<end])) as? [String: Any] ?? [:])
                pending.removeSubrange(...end)
            }
        }
        let words = lines.filter { $0["type"] as? String == "word" }
        #expect(words.count == 8)
        #expect(lines.last?["type"] as? String == "end" && (lines.last?["duration_ms"] as? Int ?? 0) > 1000)
        let vtt = try await readings.webVTT(reading)
        #expect(vtt.hasPrefix("WEBVTT") && vtt.contains("\ncommissariat") && vtt.contains("\nCarte\n"))
        try await Self.eventually("the reading's audio served from its stored file") {
            if case .file = await readings.audio(reading, .ogg) { return true } else { return false }
        }
        #expect(await readings.isMade(reading))
        guard case .file(let directory, let name) = await readings.audio(reading, .ogg) else {
            Issue.record("a stored reading's audio is not its file")
            return
        }
        #expect(directory == store.directory && name == reading.id + "/audio.ogg")
        // The same page again is the same reading, made already.
        let (again, cachedNow) = try await readings.read(PageInput(bytes: Array(html.utf8)))
        #expect(again.id == reading.id && cachedNow)
        await readings.speaker.pool.shutdown()
    }

    @Test func theMP3IsMadeOnlyWhenAskedForThenKept() async throws {
        let folder = Support.temporaryFile("store")
        let store = try ReadingStore(directory: folder, limit: 100_000_000)
        let readings = try await Self.readings(store: store)
        let (reading, _) = await readings.create(try Self.plan("Le certificat est délivré sous trois jours ouvrables."))
        let ogg = try await Self.bytes(await readings.audio(reading, .ogg))
        try await Self.eventually("the reading stored") { await store.contains(reading.id) }
        // The reading made its Ogg and its marks, and no MP3.
        #expect(await readings.syntheses == 1)
        #expect(await store.file(reading.id, "audio.ogg") != nil)
        #expect(await store.file(reading.id, "audio.mp3") == nil)
        // Asked for: one synthesis more, an MP3 as long as the Ogg, then kept beside it.
        let mp3 = try await Self.bytes(await readings.audio(reading, .mp3))
        #expect(await readings.syntheses == 2)
        let seconds = try Support.decodedDuration(Data(ogg), ext: "ogg")
        #expect(abs(try Support.decodedDuration(Data(mp3), ext: "mp3") - seconds) < 0.2)
        try await Self.eventually("the MP3 stored") { await store.file(reading.id, "audio.mp3") != nil }
        // Asked again: the same bytes, from the store (or from memory while the job is being let go), no synthesis.
        let again = await readings.audio(reading, .mp3)
        if case .live = again { Issue.record("a second MP3 request made it again") }
        #expect(try await Self.bytes(again) == mp3)
        #expect(await readings.syntheses == 2)
        await readings.speaker.pool.shutdown()
    }

    @Test func aReadingNobodyListensToStopsAndIsMadeAgainForTheNextListener() async throws {
        let readings = try await Self.readings(store: nil, abandonAfter: .milliseconds(200))
        // Twenty minutes of speech: the worker is still making it long after the grace, even when a busy test
        // process leaves this test's tasks waiting for seconds.
        let text = String(repeating: try Support.sampleText("fr_page") + "\n", count: 10)
        let (reading, _) = await readings.create(try Self.plan(text))
        // A listener takes the first audio, then goes (a closed tab).
        let listener = Task { () -> Int in
            guard case .live(let stream) = await readings.audio(reading, .ogg) else { return 0 }
            for try await chunk in stream where !chunk.isEmpty { return chunk.count }
            return 0
        }
        #expect(try await listener.value > 0)
        try await Self.eventually("the synthesis stopped") { await readings.making == 0 }
        #expect(await readings.abandoned == 1)
        // What was made was dropped: the next listener has the reading made again, from its start.
        guard case .live(let again) = await readings.audio(reading, .ogg) else {
            Issue.record("an abandoned reading was served as if it were whole")
            return
        }
        var first: [UInt8] = []
        for try await chunk in again where !chunk.isEmpty {
            first = chunk
            break
        }
        #expect(first.starts(with: Array("OggS".utf8)), "the new stream starts an Ogg file")
        let (made, abandoned) = (await readings.syntheses, await readings.abandoned)
        #expect(made == 2 && abandoned == 1)
        await readings.speaker.pool.shutdown()
    }

    @Test func aListenerWhoComesBackInTimeKeepsTheReadingGoing() async throws {
        let readings = try await Self.readings(store: nil, abandonAfter: .seconds(30))
        let (reading, _) = await readings.create(try Self.plan(try Support.sampleText("fr_page")))
        let first = Task { () -> Bool in
            guard case .live(let stream) = await readings.audio(reading, .ogg) else { return false }
            for try await chunk in stream where !chunk.isEmpty { return true }
            return false
        }
        #expect(try await first.value)
        // Back within the grace: the same synthesis, finished.
        let whole = try await Self.bytes(await readings.audio(reading, .ogg))
        #expect(try Support.decodedDuration(Data(whole), ext: "ogg") > 60)
        let (made, abandoned) = (await readings.syntheses, await readings.abandoned)
        #expect(made == 1 && abandoned == 0)
        await readings.speaker.pool.shutdown()
    }
}
