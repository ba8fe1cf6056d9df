import Foundation
import QariTestSupport
import Testing

@testable import QariPage
@testable import QariReading
@testable import QariSpeech

/// A citizen's own page: made and heard like any other, but in memory only, under a random id, and for a while.
@Suite(.serialized) struct PrivateReadingsTests {
    static let page =
        "<html lang=fr><head><meta name=\"qari\" content=\"private\"></head><body><main>"
        + "<p>Bonjour Yasmina Tazrouti, votre carte BK482913 est prête.</p></main></body></html>"

    static func readings(store: ReadingStore?, limits: PrivateLimits) async throws -> Readings {
        Readings(
            speaker: Speaker(pool: try await Support.pool()), store: store,
            versions: ReadingVersions(engine: "test", voices: "test", diacritizer: "none"), privateLimits: limits)
    }

    /// Every file under `folder`, as bytes.
    static func everyFile(_ folder: String) -> [String: Data] {
        var all: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) { all[name] = data }
        }
        return all
    }

    @Test func aPrivatePageIsHeardButNeverStoredAndGoesWhenItExpires() async throws {
        let folder = Support.temporaryFile("store")
        let store = try ReadingStore(directory: folder, limit: 100_000_000)
        let readings = try await Self.readings(store: store, limits: PrivateLimits())
        let (reading, cached) = try await readings.read(PageInput(bytes: Array(Self.page.utf8)))
        #expect(!cached && reading.isPrivate)
        #expect(reading.id.count == 41 && reading.id.hasPrefix("p") && !ReadingStore.isID(reading.id))
        let audio = try await ReadingsTests.bytes(await readings.audio(reading, .ogg))
        #expect(audio.starts(with: Array("OggS".utf8)) && audio.count > 2000)
        #expect(try await readings.completeMarks(reading).marks.count >= 5)
        #expect(await readings.reading(reading.id)?.id == reading.id)
        #expect(await readings.privateStatistics().readings == 1)
        #expect(await readings.privateStatistics().bytes >= audio.count)
        // Nothing of it on disk: no folder, no plan, no word in any file.
        for (name, data) in Self.everyFile(folder) {
            #expect(!name.contains(reading.id))
            #expect(data.range(of: Data("Tazrouti".utf8)) == nil && data.range(of: Data("BK482913".utf8)) == nil)
        }
        // A second reading of the same page is another one: no id to guess, nothing shared.
        let (again, _) = try await readings.read(PageInput(bytes: Array(Self.page.utf8)))
        #expect(again.id != reading.id)
        // Reports keep the words around the reported one: refused.
        await #expect(throws: ReportError.privateReading) {
            _ = try await readings.report(reading: reading.id, passage: 0, start: 0, end: 7, note: "")
        }
    }

    /// A second client cannot fetch it once its time to live has passed (the time counts from its last use).
    @Test func aPrivateReadingGoesWhenItExpires() async throws {
        let readings = try await Self.readings(store: nil, limits: PrivateLimits(ttl: .seconds(1)))
        let (reading, _) = try await readings.read(PageInput(bytes: Array(Self.page.utf8)))
        _ = try await ReadingsTests.bytes(await readings.audio(reading, .ogg))
        let (other, _) = try await readings.read(PageInput(bytes: Array(Self.page.utf8)))
        try await ReadingsTests.eventually("the private readings to expire") {
            await readings.privateStatistics().readings == 0
        }
        #expect(await readings.reading(reading.id) == nil)
        #expect(await readings.reading(other.id) == nil)
        #expect(await readings.privateStatistics().expired == 2)
    }

    @Test func theMemoryBoundDropsTheLeastRecentlyUsedFirst() async throws {
        let readings = try await Self.readings(store: nil, limits: PrivateLimits(ttl: .seconds(600), memory: 1))
        let (first, _) = try await readings.read(PageInput(bytes: Array(Self.page.utf8)))
        _ = try await ReadingsTests.bytes(await readings.audio(first, .ogg))
        let (second, _) = try await readings.read(PageInput(bytes: Array(Self.page.utf8), isPrivate: true))
        #expect(await readings.reading(first.id) == nil)
        #expect(await readings.reading(second.id) != nil)
        #expect(await readings.privateStatistics().evicted == 1)
    }

    @Test func theRequestsMarkMakesAPagePrivateAndAPublicPageIsStoredAsBefore() async throws {
        let folder = Support.temporaryFile("store")
        let store = try ReadingStore(directory: folder, limit: 100_000_000)
        let readings = try await Self.readings(store: store, limits: PrivateLimits())
        let plain = Self.page.replacingOccurrences(of: "<meta name=\"qari\" content=\"private\">", with: "")
        let (marked, _) = try await readings.read(PageInput(bytes: Array(plain.utf8), isPrivate: true))
        #expect(marked.isPrivate)
        let (open, _) = try await readings.read(PageInput(bytes: Array(plain.utf8)))
        #expect(!open.isPrivate && ReadingStore.isID(open.id))
        _ = try await ReadingsTests.bytes(await readings.audio(open, .ogg))
        try await ReadingsTests.eventually("the public reading to be stored") { await store.contains(open.id) }
        let (again, cached) = try await readings.read(PageInput(bytes: Array(plain.utf8)))
        #expect(again.id == open.id && cached)
    }

    /// A listener hears a long private page to its end: it neither expires nor is evicted while it is made.
    @Test func aReadingBeingMadeNeitherExpiresNorIsEvicted() async throws {
        let ttl = Duration.milliseconds(1)
        let readings = try await Self.readings(store: nil, limits: PrivateLimits(ttl: ttl, memory: 1))
        let paragraph =
            "<p>Votre demande de certificat de résidence est reçue et sera traitée sous quarante-huit heures.</p>"
        let html = "<html lang=fr><body><main>" + String(repeating: paragraph, count: 60) + "</main></body></html>"
        let (reading, _) = try await readings.read(PageInput(bytes: Array(html.utf8), isPrivate: true))
        let created = ContinuousClock.now
        guard case .live(let stream) = await readings.audio(reading, .ogg) else {
            Issue.record("a new reading is made as it is heard")
            return
        }
        guard case .live(let markStream) = await readings.marks(reading) else {
            Issue.record("its marks come as they are made")
            return
        }
        var audio: [UInt8] = []
        var iterator = stream.makeAsyncIterator()
        audio += try #require(try await iterator.next())
        while ContinuousClock.now - created <= ttl {}  // the time to live has passed (1 ms: at once)
        // Another request's sweep: the reading is being made and heard, so it stays.
        #expect(await readings.reading(reading.id) != nil)
        while let chunk = try await iterator.next() { audio += chunk }
        var last = 0
        for try await mark in markStream { last = max(last, mark.timeMs) }
        // Whole: the audio decodes to the end, and the last word is spoken within its last seconds.
        let seconds = try Support.decodedDuration(Data(audio), ext: "ogg")
        #expect(seconds > 60, "\(seconds) s of audio")
        #expect(Double(last) / 1000 > seconds - 5 && Double(last) / 1000 < seconds, "last word at \(last) ms")
    }

    /// Behind a proxy with several daemons: the id names the daemon that holds the reading, and only ids of the
    /// agreed form are taken as private ones.
    @Test func aPrivateIdEndsWithItsDaemonsName() async throws {
        let readings = try await Self.readings(store: nil, limits: PrivateLimits(instance: "8471"))
        let (reading, _) = try await readings.read(PageInput(bytes: Array(Self.page.utf8)))
        #expect(try Regex("p[0-9a-f]{40}-8471").wholeMatch(in: reading.id) != nil, "\(reading.id)")
        #expect(Reading.isID(reading.id))
        #expect(await readings.reading(reading.id)?.id == reading.id)
        let digits = String(reading.id.dropFirst().prefix(40))
        let long = "p\(digits)-" + String(repeating: "a", count: 33)
        for bad in ["p\(digits)-", "p\(digits)-A1", "p\(digits)_a", "p\(digits)-a/b", long] {
            #expect(!Reading.isID(bad), "\(bad)")
        }
        #expect(Reading.isID("p\(digits)") && Reading.isID("p\(digits)-z"))
        #expect(PrivateLimits.isInstance("a1") && !PrivateLimits.isInstance("") && !PrivateLimits.isInstance("é"))
    }
}
