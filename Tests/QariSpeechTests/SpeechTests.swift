import Foundation
import Glibc
import QariTestSupport
import QariText
import QariWorkers
import Testing

@testable import QariSpeech

@Suite(.serialized) struct SpeechTests {
    @Test(arguments: ["fr_short", "ar_short"])
    func speechIsAudibleAndAsLongAsTheTextNeeds(_ name: String) async throws {
        let pool = try await Support.pool()
        let text = try Support.sampleText(name)
        let spoken = try await Support.speak(pool, text, voice: String(name.prefix(2)))
        #expect(spoken.samples.count == spoken.total)
        #expect(Support.rms(spoken.samples) > 500, "audio is (nearly) silent")
        let seconds = Double(spoken.total) / Double(await pool.sampleRate)
        let words = Double(Support.words(text).count)
        // People speak 1.2 to 5 words a second; eSpeak at the default rate sits inside that.
        #expect(seconds > words / 5 && seconds < words / 1.2, "\(seconds) s for \(words) words")
        await pool.shutdown()
    }

    @Test(arguments: [
        ("fr", "Bonjour tout le monde. Votre demande d'identité est prête, retirez-la au guichet n° 3 !"),
        ("ar", "يمكنكم طلب نسخة موجزة من رسم الولادة عبر البوابة الوطنية. تصلكم الوثيقة خلال 3 أيام."),
    ])
    func wordMarksAreMonotonicOnePerWordAndPointAtTheWords(_ voice: String, _ text: String) async throws {
        let pool = try await Support.pool()
        let spoken = try await Support.speak(pool, text, voice: voice)
        let wordMarks = spoken.marks.filter { $0.type == .word }
        #expect(wordMarks.map { Support.substring(text, $0) } == Support.words(text))
        let times = wordMarks.map(\.timeMs)
        #expect(times == times.sorted(), "word times go backwards: \(times)")
        #expect(Set(times).count > times.count / 2, "most words should have distinct times: \(times)")
        let durationMs = spoken.total * 1000 / (await pool.sampleRate)
        #expect(times.last! < durationMs)
        let sentences = spoken.marks.filter { $0.type == .sentence }
        #expect(sentences.count == 2)
        #expect(
            sentences.map { Support.substring(text, $0).first } == [
                text.first, Support.words(text)[voice == "fr" ? 4 : 10].first,
            ])
        await pool.shutdown()
    }

    /// eSpeak's French hands words that look English to its English voice; on Moroccan pages they are names and
    /// Moroccan words said the French way. Without any lexicon, none of them switches, and marks keep the spelling.
    @Test func moroccanWordsInFrenchStayFrenchAndKeepTheirMarks() async throws {
        let pool = try await Support.pool()
        let speaker = Speaker(pool: pool)
        let fr = VoiceCatalog.voice(named: "fr")!
        let text = "Bonjour Mohammed, la watiqa de Ahmed est prête."
        let phonemes = try await speaker.phonemes(text, voice: fr, ipa: false)
        #expect(!phonemes.contains("(en)"), "\(phonemes)")
        #expect(phonemes.contains("moam'Ed") && phonemes.contains("uatik'a"), "\(phonemes)")
        let spoken = try await Support.speak(pool, text, voice: "fr")
        let words = spoken.marks.filter { $0.type == .word }.map { Support.substring(text, $0) }
        #expect(words == Support.words(text), "\(words)")
        // French words are not respelled.
        #expect(try await speaker.phonemes("Le bureau ferme à midi.", voice: fr, ipa: false).contains("byr'o"))
        await pool.shutdown()
    }

    /// English loanwords of French administrative text are said as French speakers say them, never by eSpeak's
    /// English voice: respelled where French rules then read them (`parking`), else from their English phonemes
    /// mapped to French ones (`business`); marks keep the words as written.
    @Test func englishLoanwordsInFrenchAreSaidTheFrenchWay() async throws {
        let pool = try await Support.pool()
        let speaker = Speaker(pool: pool)
        let fr = VoiceCatalog.voice(named: "fr")!
        let words = [
            "parking", "week-end", "shopping", "marketing", "email", "startup", "business", "coaching", "leadership",
            "design", "meeting", "feedback", "login", "cloud", "leasing", "holding", "trading", "booking", "football",
            "streaming", "coworking", "team", "camping",
        ]
        for word in words {
            let phonemes = try await speaker.phonemes(word, voice: fr, ipa: false)
            #expect(!phonemes.contains("(en)") && !phonemes.isEmpty, "\(word): \(phonemes)")
        }
        #expect(try await speaker.phonemes("parking", voice: fr, ipa: false) == "park'iN")
        #expect(try await speaker.phonemes("football", voice: fr, ipa: false) == "futb'Ol")
        let text = "Le business du football et le parking du week-end."
        let spoken = try await Support.speak(pool, text, voice: "fr")
        let marked = spoken.marks.filter { $0.type == .word }.map { Support.substring(text, $0) }
        #expect(marked == Support.words(text), "\(marked)")
        await pool.shutdown()
    }

    @Test func englishPhonemesMapToTheFrenchOnesFrenchSpeakersUse() {
        #expect(FrenchSpelling.frenchPhonemes("p'A@kIN") == "park'iN")
        #expect(FrenchSpelling.frenchPhonemes("b'Izn@s") == "b'izn@s")
        #expect(FrenchSpelling.frenchPhonemes("st'A@tVp") == "start'Wp")
        #expect(FrenchSpelling.frenchPhonemes("tS'eIndZ") == "tS'EndZ")
        #expect(FrenchSpelling.frenchPhonemes("Tr'i:") == "tr'i")
        #expect(FrenchSpelling.frenchPhonemes("qQ") == nil)
    }

    @Test func aHeadingIsFollowedByAPause() async throws {
        let pool = try await Support.pool()
        let heading = try await Support.speak(pool, "Pièces à fournir\nUne photo récente", voice: "fr")
        let runOn = try await Support.speak(pool, "Pièces à fournir une photo récente", voice: "fr")
        let sentences = heading.marks.filter { $0.type == .sentence }
        #expect(
            sentences.map { Support.substring("Pièces à fournir\nUne photo récente", $0) } == [
                "Pièces à fournir", "Une photo récente",
            ])
        // The same words with a clause break are longer by the pause.
        let pauseMs = (heading.total - runOn.total) * 1000 / (await pool.sampleRate)
        #expect(pauseMs > 150, "pause after the heading: \(pauseMs) ms")
        await pool.shutdown()
    }

    @Test func phonemesAreFrenchForAFrenchVoice() async throws {
        let pool = try await Support.pool()
        let speaker = Speaker(pool: pool)
        let mnemonics = try await speaker.phonemes("bonjour", voice: VoiceCatalog.voice(named: "fr")!, ipa: false)
        let ipa = try await speaker.phonemes("bonjour", voice: VoiceCatalog.voice(named: "fr")!, ipa: true)
        // The nasal vowel and the voiced postalveolar fricative of "bonjour", and French's uvular r.
        #expect(mnemonics.contains("O~") && mnemonics.contains("Z"), "\(mnemonics)")
        #expect(ipa.contains("ɔ̃") && ipa.contains("ʒ") && ipa.contains("ʁ"), "\(ipa)")
        // Latin in a request for the Arabic voice is read in French too, never by eSpeak's English rules.
        let inArabic = try await speaker.phonemes("bonjour", voice: VoiceCatalog.voice(named: "ar")!, ipa: true)
        #expect(inArabic == ipa)
        await pool.shutdown()
    }
}

@Suite(.serialized) struct PoolTests {
    /// A text that keeps a worker busy for a few seconds.
    static func longText() throws -> String {
        String(repeating: try Support.sampleText("fr_page") + "\n", count: 30)
    }

    @Test func aWorkerKilledMidSpeechIsReplacedAndTheListenerHearsItAllElsewhere() async throws {
        let pool = try await Support.pool(workers: 2)
        let speaker = Speaker(pool: pool)
        let fr = VoiceCatalog.voice(named: "fr")!
        let text = try Self.longText()
        // The same speech, uninterrupted: what the listener should get.
        var whole: [Int16] = []
        var wholeMarks: [Mark] = []
        for try await event in try await speaker.speak(SpeechRequest(text: text, voice: fr)) {
            switch event {
            case .audio(let pcm): whole += pcm
            case .marks(let marks): wholeMarks += marks
            case .end: break
            }
        }
        let victim = try await speaker.speak(SpeechRequest(text: text, voice: fr))
        var victimIterator = victim.makeAsyncIterator()
        let opening = try await victimIterator.next()  // audio is flowing
        let busy = await pool.status().workers.filter { $0.state == "busy" }
        try #require(busy.count == 1)

        // A second request, on the other worker, runs through the crash.
        let bystander = Task { try await Support.speak(pool, try Support.sampleText("fr_page"), voice: "fr") }
        // The crash comes once the bystander is being spoken (both workers busy), within a deadline.
        let started = ContinuousClock.now
        var bothBusy = false
        while !bothBusy && ContinuousClock.now - started < .seconds(30) {
            bothBusy = await pool.status().workers.filter { $0.state == "busy" }.count == 2
            if !bothBusy { try await Task.sleep(for: .milliseconds(10)) }
        }
        try #require(bothBusy, "the bystander never started on the other worker")
        kill(busy[0].pid, SIGKILL)
        // The victim goes on: no error, and exactly the audio and marks of the uninterrupted speech (every request
        // is spoken from the same engine state, so another worker continues at the very sample).
        var heard: [Int16] = []
        var heardMarks: [Mark] = []
        var end = 0
        var pending = opening
        while let event = pending {
            pending = try await victimIterator.next()
            switch event {
            case .audio(let pcm): heard += pcm
            case .marks(let marks): heardMarks += marks
            case .end(let total): end = total
            }
        }
        #expect(end == whole.count && heard.count == whole.count, "the listener got \(heard.count) of \(whole.count)")
        #expect(heard == whole, "the audio after the crash differs from the uninterrupted speech")
        let differs = heardMarks.indices.first { $0 >= wholeMarks.count || heardMarks[$0] != wholeMarks[$0] }
        #expect(
            heardMarks.count == wholeMarks.count && differs == nil,
            "marks: \(heardMarks.count) of \(wholeMarks.count), first difference at \(differs.map(String.init) ?? "-"): \(differs.map { "\(heardMarks[max(0, $0 - 2)...$0]) vs \(wholeMarks[max(0, $0 - 2)...$0])" } ?? "")"
        )
        let other = try await bystander.value
        #expect(other.total > 22050 * 60, "the bystander's page is a minute or more of audio")

        let next = try await Support.speak(pool, "Et la suivante passe.", voice: "fr")
        #expect(next.total > 0)
        let status = await pool.status()
        #expect(status.crashes == 1 && status.restarts == 1)
        #expect(status.workers.count == 2 && !status.workers.map(\.pid).contains(busy[0].pid))
        await pool.shutdown()
    }

    /// The same request gives the same samples on any worker, whatever it spoke before (in another voice too).
    @Test func theSameTextGivesTheSameSamplesWhateverTheWorkerSpokeBefore() async throws {
        let pool = try await Support.pool(workers: 1)
        let text = "Bonjour, votre demande est prête. Retirez-la au guichet."
        let first = try await Support.speak(pool, text, voice: "fr")
        _ = try await Support.speak(pool, "مرحبا بكم في البوابة الوطنية", voice: "ar")
        _ = try await Support.speak(pool, "Une autre phrase, plus longue, pour changer l'état.", voice: "fr")
        let again = try await Support.speak(pool, text, voice: "fr")
        #expect(first.samples.count == again.samples.count && first.samples == again.samples)
        await pool.shutdown()
    }

    /// A worker that changed voice hundreds of times speaks a text as a fresh one does: its first word marked at
    /// the first sample, every sample the same. eSpeak queues each voice change for its wave generator, which only
    /// a synthesis consumes, and a worker's synthesis happens in its children: changes had piled up, and after a
    /// few dozen a text lost its first sentence and word marks (the page's first highlight came late), and near
    /// 170 (the queue's length) a speech was cut short.
    @Test func aWorkerThatChangedVoiceHundredsOfTimesSpeaksAsAFreshOne() async throws {
        let pool = try await Support.pool(workers: 1)
        let text = "1Password pour Mac fait des mots de passe à usage unique."
        let fresh = try await Support.speak(pool, text, voice: "fr")
        try #require(fresh.marks.first?.type == .sentence && fresh.marks.first?.timeMs == 0)
        // Two changes a round, 100 rounds: more changes than the queue has entries.
        for round in 1...100 {
            _ = try await Support.speak(pool, "Hi.", voice: "en")
            let again = try await Support.speak(pool, text, voice: "fr")
            #expect(again.marks == fresh.marks, "round \(round): marks \(again.marks.prefix(2))")
            #expect(again.samples == fresh.samples, "round \(round): \(again.samples.count) of \(fresh.samples.count)")
            if again.marks != fresh.marks || again.samples != fresh.samples { break }
        }
        await pool.shutdown()
    }

    @Test func workersKilledFromOutsideTwiceInARowAreNotBlamedOnTheText() async throws {
        let pool = try await Support.pool(workers: 1)
        let speaker = Speaker(pool: pool)
        let fr = VoiceCatalog.voice(named: "fr")!
        let text = try Support.sampleText("fr_page")
        var whole: [Int16] = []
        for try await event in try await speaker.speak(SpeechRequest(text: text, voice: fr)) {
            if case .audio(let pcm) = event { whole += pcm }
        }
        func busyWorker(otherThan excluded: Int32?) async throws -> Int32 {
            for _ in 0..<400 {
                if let w = await pool.status().workers.first(where: { $0.state == "busy" && $0.pid != excluded }) {
                    return w.pid
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            throw WorkerError.unavailable("no worker became busy")
        }
        var heard: [Int16] = []
        var iterator = try await speaker.speak(SpeechRequest(text: text, voice: fr)).makeAsyncIterator()
        // Two kills (as an operator's or the out-of-memory killer's SIGKILL) while the same speech is spoken.
        let killer = Task {
            let first = try await busyWorker(otherThan: nil)
            kill(first, SIGKILL)
            let second = try await busyWorker(otherThan: first)
            kill(second, SIGKILL)
        }
        while let event = try await iterator.next() {
            if case .audio(let pcm) = event { heard += pcm }
        }
        try await killer.value
        #expect(heard.count == whole.count && heard == whole, "heard \(heard.count) samples of \(whole.count)")
        #expect(await pool.status().crashes == 2)
        // The text is no poison pill: it is spoken again.
        let again = try await Support.speak(pool, text, voice: "fr")
        #expect(again.total == whole.count)
        await pool.shutdown()
    }

    @Test func aRequestOverItsTimeLimitFailsAndTheWorkerIsReplaced() async throws {
        let pool = try await Support.pool(workers: 1, timeout: .milliseconds(300))
        await #expect(throws: WorkerError.timedOut(pool: "speech", limit: .milliseconds(300))) {
            _ = try await Support.speak(pool, try Self.longText() + Self.longText(), voice: "fr")
        }
        let next = try await Support.speak(pool, "Bonjour.", voice: "fr")
        #expect(next.total > 0)
        #expect(await pool.status().timeouts == 1)
        await pool.shutdown()
    }

    @Test func aFullQueueRefusesAtOnce() async throws {
        let pool = try await Support.pool(workers: 1, queueLimit: 0)
        let fr = VoiceCatalog.voice(named: "fr")!
        let first = try await Speaker(pool: pool).speak(SpeechRequest(text: try Self.longText(), voice: fr))
        await #expect(throws: WorkerError.busy(pool: "speech", queueLimit: 0)) {
            _ = try await Speaker(pool: pool).speak(SpeechRequest(text: "Bonjour.", voice: fr))
        }
        var samples = 0
        for try await case .audio(let s) in first { samples += s.count }
        #expect(samples > 0)
        await pool.shutdown()
    }

    /// A listener's report waits on the phonemes of one word: with every worker reading a page and the queue full,
    /// they still come (before the readings), and the same refusal still meets a new speech.
    @Test func aReportedWordsPhonemesComeWhileThePoolIsFull() async throws {
        let pool = try await Support.pool(workers: 1, queueLimit: 0)
        let fr = VoiceCatalog.voice(named: "fr")!
        let speaker = Speaker(pool: pool)
        let reading = try await speaker.speak(SpeechRequest(text: try Self.longText(), voice: fr))
        await #expect(throws: WorkerError.busy(pool: "speech", queueLimit: 0)) {
            _ = try await speaker.speak(SpeechRequest(text: "Bonjour.", voice: fr))
        }
        let phonemes = try await speaker.phonemes(of: 7..<14, inPassage: "Il est délivré le jour même.", voice: fr)
        #expect(phonemes.hasPrefix("delivr"), "\(phonemes)")
        var samples = 0
        for try await case .audio(let s) in reading { samples += s.count }
        #expect(samples > 0)
        await pool.shutdown()
    }

    @Test func queuedRequestsAllComplete() async throws {
        let pool = try await Support.pool(workers: 2, queueLimit: 16)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask { try await Support.speak(pool, "Demande numéro \(i).", voice: "fr").total }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 > 10000 })
        await pool.shutdown()
    }

    @Test func anUnknownEspeakVoiceIsAnEngineErrorAndTheWorkerLives() async throws {
        let pool = try await Support.pool(workers: 1)
        let bogus = Voice(id: "xx", language: "xx", name: "none", scripts: ["Latn"], espeakVoice: "no-such-voice")
        await #expect(throws: WorkerError.self) {
            _ = try await Speaker(pool: pool).speak(SpeechRequest(text: "Bonjour.", voice: bogus))
        }
        #expect(try await Support.speak(pool, "Bonjour.", voice: "fr").total > 0)
        #expect(await pool.status().crashes == 0)
        await pool.shutdown()
    }
}
