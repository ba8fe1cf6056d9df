import Foundation
import Glibc
import QariTestSupport
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

@Suite struct EncoderTests {
    /// One second of a 440 Hz tone.
    static let tone: [Int16] = (0..<22050).map { Int16(8000 * sin(2 * Double.pi * 440 * Double($0) / 22050)) }

    @Test(arguments: AudioFormat.allCases)
    func encodedAudioDecodesToTheSameLength(_ format: AudioFormat) throws {
        var encoder = try format.makeEncoder(sampleRate: 22050)
        var bytes: [UInt8] = []
        // Chunk by chunk, as a stream arrives.
        for chunk in stride(from: 0, to: Self.tone.count, by: 1000) {
            bytes += try encoder.encode(Array(Self.tone[chunk..<min(chunk + 1000, Self.tone.count)]))
        }
        bytes += try encoder.finish()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qari-\(UUID()).\(format.rawValue)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let seconds = try Support.decodedDuration(file.path)
        #expect(abs(seconds - 1.0) < 0.08, "\(format) decoded to \(seconds) s")
    }

    @Test func anOpusOpeningIsRicherThenTheStreamGoesOnAtItsBitrateAndDecodesWhole() throws {
        // Four seconds of tone: the first two at the opening's bitrate, the last two at the stream's.
        let tone = Self.tone + Self.tone + Self.tone + Self.tone
        func encoded(_ encoder: OpusEncoder) throws -> (first: Int, last: Int, all: [UInt8]) {
            var all: [UInt8] = []
            var first = 0
            for chunk in stride(from: 0, to: tone.count, by: 2205) {
                all += try encoder.encode(Array(tone[chunk..<min(chunk + 2205, tone.count)]))
                if chunk + 2205 == 22050 * 2 { first = all.count }
            }
            all += try encoder.finish()
            return (first, all.count - first, all)
        }
        let plain = try encoded(OpusEncoder(sampleRate: 22050))
        let opened = try encoded(OpusEncoder(sampleRate: 22050, opening: (seconds: 2, bitrate: 256_000)))
        #expect(opened.first > plain.first * 3, "the opening: \(opened.first) bytes against \(plain.first)")
        #expect(opened.last < plain.last * 2, "after it: \(opened.last) bytes against \(plain.last)")
        let seconds = try Support.decodedDuration(Data(opened.all), ext: "ogg")
        #expect(abs(seconds - 4.0) < 0.08, "decoded to \(seconds) s")
    }

    /// The Ogg a listener gets keeps the speech: loudness and the energy of each speech band within 1 dB of the WAV
    /// it was made from (measured with sox on the decoded audio).
    @Test func opusKeepsTheLoudnessAndSpectrumOfSpeech() async throws {
        let pool = try await Support.pool()
        let spoken = try await Support.speak(pool, try Support.sampleText("fr_short"), voice: "fr")
        await pool.shutdown()
        var wav = try AudioFormat.wav.makeEncoder(sampleRate: 22050)
        let ogg = try OpusEncoder(sampleRate: 22050)
        let wavFile = Support.temporaryFile("wav")
        let oggFile = Support.temporaryFile("ogg")
        try Data(try wav.encode(spoken.samples) + wav.finish()).write(to: URL(fileURLWithPath: wavFile))
        try Data(try ogg.encode(spoken.samples) + ogg.finish()).write(to: URL(fileURLWithPath: oggFile))
        let decoded = oggFile + ".wav"
        #expect(try Support.run("/usr/bin/opusdec", ["--quiet", "--rate", "22050", oggFile, decoded]).status == 0)
        func level(_ file: String, _ band: String?) throws -> Double {
            let r = try Support.run("/usr/bin/sox", [file, "-n"] + (band.map { ["sinc", $0] } ?? []) + ["stats"])
            let line = r.err.split(separator: "\n").first { $0.hasPrefix("RMS lev dB") } ?? ""
            return Double(line.split(separator: " ").last ?? "") ?? -999
        }
        // Every band eSpeak makes, the sibilants' 4–8 kHz too (libopusenc's speech mode lost 3 dB there).
        for band in [nil, "100-500", "500-1000", "1000-2000", "2000-4000", "4000-8000"] {
            let difference = try level(decoded, band) - level(wavFile, band)
            #expect(abs(difference) < 1, "\(band ?? "all"): \(difference) dB")
        }
    }

    /// The Ogg Opus stream is valid to a strict reader (every page's checksum, granule positions, headers) and
    /// decodes to exactly the samples given, whatever the length and however they came in.
    @Test(arguments: [0, 1, 479, 22050, 22050 * 3 + 7])
    func oggOpusIsValidAndDecodesToTheExactLength(_ count: Int) throws {
        let samples = (0..<count).map { Int16(6000 * sin(2 * Double.pi * 300 * Double($0) / 22050)) }
        let encoder = try OpusEncoder(sampleRate: 22050)
        var bytes: [UInt8] = []
        var start = 0
        var step = 1
        while start < samples.count {
            bytes += try encoder.encode(Array(samples[start..<min(start + step, samples.count)]))
            start += step
            step = step * 7 % 3001 + 1
        }
        bytes += try encoder.finish()
        let file = Support.temporaryFile("ogg")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let info = try Support.run("/usr/bin/opusinfo", [file])
        let report = String(decoding: info.out, as: UTF8.self) + info.err
        #expect(info.status == 0 && !report.contains("WARNING") && !report.contains("ERROR"), "\(report)")
        let decoded = file + ".wav"
        #expect(try Support.run("/usr/bin/opusdec", ["--quiet", "--rate", "22050", file, decoded]).status == 0)
        let size = (try FileManager.default.attributesOfItem(atPath: decoded)[.size] as? Int) ?? 0
        #expect(abs((size - 44) / 2 - count) <= 1, "\(count) samples decoded to \((size - 44) / 2)")
    }

    /// 22,050 Hz to Opus's 24 kHz: the length the ratio gives, and a tone keeps its pitch and level.
    @Test func theResamplerKeepsPitchAndLevel() {
        var resampler = Resampler(from: 22050, to: 24000)
        var out: [Int16] = []
        for chunk in stride(from: 0, to: Self.tone.count, by: 1000) {
            out += resampler.process(Array(Self.tone[chunk..<min(chunk + 1000, Self.tone.count)]))
        }
        out += resampler.finish()
        #expect(out.count == 24000)
        let crossings = zip(out.dropLast(), out.dropFirst()).filter { $0 < 0 && $1 >= 0 }.count
        #expect(abs(crossings - 440) <= 1, "\(crossings) cycles in a second")
        let rms = { (x: ArraySlice<Int16>) in
            (x.map { Double($0) * Double($0) }.reduce(0, +) / Double(x.count)).squareRoot()
        }
        #expect(abs(rms(out[1000..<23000]) / rms(Self.tone[1000..<21000]) - 1) < 0.01)
    }

    @Test func opusAndMP3StreamBeforeTheEnd() throws {
        for format in [AudioFormat.ogg, .mp3] {
            var encoder = try format.makeEncoder(sampleRate: 22050)
            var early = 0
            for chunk in stride(from: 0, to: Self.tone.count, by: 2205) {
                early += try encoder.encode(Array(Self.tone[chunk..<min(chunk + 2205, Self.tone.count)])).count
            }
            #expect(early > 1000, "\(format) held back all output until finish")
        }
    }
}
