import Foundation
import QariTestSupport
import QariText
import Testing

@testable import QariPage
@testable import QariReading
@testable import QariSpeech

/// Readings assembled from stored passages: a page that changed a little re-makes only what changed, a lexicon
/// change re-makes only the passages with its word, and assembled or made at once the audio and marks are the same.
@Suite(.serialized) struct PassageReuseTests {
    static let paragraphs = [
        "Demande de carte nationale", "Le dépôt se fait au commissariat de votre lieu de résidence.",
        "Présentez-vous avec deux photos récentes et un extrait d'acte de naissance.",
        "Le timbre fiscal coûte soixante-quinze dirhams.", "La carte est remise sous quinze jours.",
        "Le commissariat vous prévient par message.",
    ]

    static func page(_ paragraphs: [String]) -> PageInput {
        let body = paragraphs.map { "<p>\($0)</p>" }.joined()
        return PageInput(bytes: Array("<html lang=fr><body><main>\(body)</main></body></html>".utf8))
    }

    static func readings(_ folder: String, lexicons: LexiconStore = LexiconStore()) async throws -> Readings {
        Readings(
            speaker: Speaker(pool: try await Support.pool(), lexicons: lexicons),
            store: try ReadingStore(directory: folder, limit: 100_000_000),
            versions: ReadingVersions(engine: "test", voices: "test", diacritizer: "none"))
    }

    /// The reading's whole audio and marks, once made.
    static func made(_ readings: Readings, _ page: PageInput) async throws -> (audio: [UInt8], marks: ReadingMarks) {
        let (reading, _) = try await readings.read(page)
        let audio = try await ReadingsTests.bytes(await readings.audio(reading, .ogg))
        return (audio, try await readings.completeMarks(reading))
    }

    static func lexicon(_ alias: String) throws -> LexiconSet {
        let pls = """
            <?xml version="1.0" encoding="UTF-8"?>
            <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="fr">
            <lexeme><grapheme>commissariat</grapheme><alias>\(alias)</alias></lexeme></lexicon>
            """
        return LexiconSet([try Lexicon(data: Data(pls.utf8), path: "test.pls")])
    }

    @Test func oneChangedPassageIsTheOnlyOneMadeAndTheAssemblyIsAFreshReading() async throws {
        let readings = try await Self.readings(Support.temporaryFile("store"))
        _ = try await Self.made(readings, Self.page(Self.paragraphs))
        let store = try #require(readings.passages)
        #expect(store.statistics == (reused: 0, made: 6))
        var changed = Self.paragraphs
        changed[3] = "Le timbre fiscal coûte cent dirhams."
        let assembled = try await Self.made(readings, Self.page(changed))
        #expect(store.statistics == (reused: 5, made: 7))
        // The same page made at once by a daemon that never saw it: the same bytes (so the same samples), the same
        // marks.
        let fresh = try await Self.made(try await Self.readings(Support.temporaryFile("store")), Self.page(changed))
        #expect(assembled.audio == fresh.audio)
        #expect(assembled.marks == fresh.marks)
        #expect(assembled.marks.marks.contains { $0.passage == 5 && $0.timeMs > 3000 })
        // And it decodes to as long as its marks say.
        let file = Support.temporaryFile("ogg")
        try Data(assembled.audio).write(to: URL(fileURLWithPath: file))
        let seconds = try Support.decodedDuration(file)
        #expect(abs(seconds * 1000 - Double(assembled.marks.durationMs)) < 60, "\(seconds) s")
    }

    @Test func aLexiconChangeRemakesOnlyThePassagesWithItsWord() async throws {
        let lexicons = LexiconStore(try Self.lexicon("commissariat de police"))
        let readings = try await Self.readings(Support.temporaryFile("store"), lexicons: lexicons)
        _ = try await Self.made(readings, Self.page(Self.paragraphs))
        let store = try #require(readings.passages)
        #expect(store.statistics == (reused: 0, made: 6))
        lexicons.replace(with: try Self.lexicon("poste de police"))
        _ = try await Self.made(readings, Self.page(Self.paragraphs))
        // Two paragraphs say "commissariat": only they are spoken again.
        #expect(store.statistics == (reused: 4, made: 8))
    }

    /// The same public page sent again is answered without reading it again; a private one is read every time.
    @Test func aPageSentAgainIsNotReadAgainUnlessItIsPrivate() async throws {
        let readings = try await Self.readings(Support.temporaryFile("store"))
        let (first, _) = try await readings.read(Self.page(Self.paragraphs))
        let (again, _) = try await readings.read(Self.page(Self.paragraphs))
        #expect(again.id == first.id)
        #expect(await readings.plansRead == 1)
        #expect(await readings.plansRemembered == 1)
        var changed = Self.paragraphs
        changed[0] = "Demande de passeport"
        _ = try await readings.read(Self.page(changed))
        #expect(await readings.plansRead == 2)
        var mine = Self.page(Self.paragraphs)
        mine.isPrivate = true
        _ = try await readings.read(mine)
        _ = try await readings.read(mine)
        #expect(await readings.plansRead == 4)
        #expect(await readings.plansRemembered == 1)
    }

    /// A reading accepted is never refused half-way: its later passages go on while other speeches fill the limit
    /// of speeches a new one may start under.
    @Test func aReadingUnderWayIsNotRefusedAtItsNextPassage() async throws {
        let pool = try await Support.pool(workers: 1, queueLimit: 0)
        let speaker = Speaker(pool: pool)
        #expect(speaker.admission.limit == 1)
        let readings = Readings(
            speaker: speaker, store: try ReadingStore(directory: Support.temporaryFile("store"), limit: 100_000_000),
            versions: ReadingVersions(engine: "test", voices: "test", diacritizer: "none"))
        // The page's first passage is stored already (read alone before), its next two are not.
        _ = try await Self.made(readings, Self.page(Array(Self.paragraphs.prefix(1))))
        // Another speech takes the one place a new speech may start in, and holds it while it is made.
        let long = String(repeating: try Support.sampleText("fr_page") + "\n", count: 20)
        let other = try await speaker.speak(SpeechRequest(text: long, voice: VoiceCatalog.voice(named: "fr")!))
        #expect(speaker.admission.current == 1)
        let page = try await Self.made(readings, Self.page(Array(Self.paragraphs.prefix(3))))
        #expect(Set(page.marks.marks.map(\.passage)) == [0, 1, 2])
        for try await _ in other {}
        await pool.shutdown()
    }
}
