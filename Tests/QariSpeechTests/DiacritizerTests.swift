import Foundation
import Glibc
import QariTestSupport
import QariText
import QariWorkers
import Synchronization
import Testing

@testable import QariSpeech

/// Arabic vowel restoration: spoken with vowels, marks on the written (bare) text, a crash costs one request.
@Suite(.serialized) struct DiacritizerTests {
    static let harakat: Set<Unicode.Scalar> = Set((0x064B...0x0652).compactMap(Unicode.Scalar.init))

    static func stripped(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { !harakat.contains($0) }))
    }

    @Test func vowelsAreRestoredAndTheLettersKept() async throws {
        let d = try await Support.diacritizer()
        let text = "يمكنكم الحصول على البطاقة الوطنية"
        let restored = try #require(await d.diacritize(text)).spokenString
        #expect(restored.unicodeScalars.filter { Self.harakat.contains($0) }.count >= 15, "\(restored)")
        #expect(Self.stripped(restored) == text)
        // The listener hears "yumkinukum" (you can), not the consonant string "jmknkm".
        #expect(restored.hasPrefix("يُمْكِنُ"), "\(restored)")
        await d.pool.shutdown()
    }

    /// Service pages repeat their sentences: a sentence diacritized once is not sent to the model again, and the
    /// cache keeps at most its capacity.
    @Test func aRepeatedSentenceComesFromTheCacheAndTheCacheStaysBounded() async throws {
        let d = try await Support.diacritizer()
        let text = "يمكنكم الحصول على البطاقة الوطنية"
        let first = try #require(await d.diacritize(text)).spokenString
        let served = await d.pool.status().workers.map(\.requests).reduce(0, +)
        let again = try #require(await d.diacritize(text, urgent: true)).spokenString
        #expect(again == first)
        #expect(await d.pool.status().workers.map(\.requests).reduce(0, +) == served, "the model was asked again")
        #expect(d.cache.statistics.hits == 1)
        let small = DiacritizedCache(capacity: 10)
        for n in 0..<25 { small.store(["x"], for: "جملة \(n)") }
        #expect(small.statistics.entries <= 10)
        #expect(small.units(for: "جملة 24") != nil, "the newest entry was evicted")
        await d.pool.shutdown()
    }

    /// Listeners reporting words of one sentence at once: the model is asked once, and every caller gets its vowels.
    /// A citizen's own page: its sentences get their vowels but are not kept in the memo once spoken.
    @Test func aPrivateSentenceIsRestoredButNotKept() async throws {
        let d = try await Support.diacritizer()
        let text = "صاحبة الطلب ياسمينة تازروتي الساكنة بتارودانت"
        let restored = try #require(await d.diacritize(text, keep: false)).spokenString
        #expect(Self.stripped(restored) == text && restored != text)
        #expect(d.cache.statistics.entries == 0)
        _ = try #require(await d.diacritize(text))
        #expect(d.cache.statistics.entries == 1)
        await d.pool.shutdown()
    }

    @Test func aSentenceAskedForByManyAtOnceGoesToTheModelOnce() async throws {
        let d = try await Support.diacritizer()
        let text = "يرفق الطلب بنسخة من البطاقة الوطنية وبصورتين شمسيتين حديثتين"
        let before = await d.pool.status().workers.map(\.requests).reduce(0, +)
        let answers = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { await d.diacritize(text)?.spokenString } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        let vowelled = answers.allSatisfy { ($0?.unicodeScalars.count ?? 0) > text.unicodeScalars.count }
        #expect(Set(answers).count == 1 && vowelled, "\(answers)")
        #expect(await d.pool.status().workers.map(\.requests).reduce(0, +) == before + 1)
        await d.pool.shutdown()
    }

    /// A reported word of a passage of several sentences: its phonemes come from its own sentence, vowelled as the
    /// reading restored it (the sentences already restored are not sent to the model again).
    @Test func aReportedWordOfAnySentenceOfAPassageHasItsPhonemes() async throws {
        let d = try await Support.diacritizer()
        let pool = try await Support.pool(workers: 1)
        let speaker = Speaker(pool: pool, diacritizer: d)
        let ar = VoiceCatalog.voice(named: "ar")!
        let passage = "يمكنكم طلب الشهادة عبر البوابة. تسلم الشهادة في نفس اليوم."
        let scalars = Array(passage.unicodeScalars)
        func range(of word: String) -> Range<Int> {
            let w = Array(word.unicodeScalars)
            let start = (0...(scalars.count - w.count)).first { Array(scalars[$0..<$0 + w.count]) == w }!
            return start..<start + w.count
        }
        for try await _ in try await speaker.speak(
            passages: [SpokenPassage(text: passage, voice: ar)], options: .init())
        {
        }
        let asked = await d.pool.status().workers.map(\.requests).reduce(0, +)
        let first = try await speaker.phonemes(of: range(of: "البوابة"), inPassage: passage, voice: ar)
        let second = try await speaker.phonemes(of: range(of: "اليوم"), inPassage: passage, voice: ar)
        #expect(first.contains("b"), "\(first)")
        #expect(second.contains("j"), "\(second)")
        #expect(await d.pool.status().workers.map(\.requests).reduce(0, +) == asked, "the model was asked again")
        await pool.shutdown()
        await d.pool.shutdown()
    }

    /// A listener's first sentence goes before the later sentences of speeches already under way.
    @Test func urgentRequestsGoBeforeQueuedOnes() async throws {
        let pool = try await Support.pool(workers: 1)
        // Hold the one worker with one long request (a speech's pieces would free it between pieces) until three
        // ordinary requests and one urgent are all queued, whatever else this machine is doing; then let it go.
        let long = try Support.holdingText()
        let hold = SpeechRequestMessage.synthesize(voice: "fr", options: .init(), text: long).encoded
        let holder = Task {
            for try await _ in try await pool.request(kind: hold.kind, body: hold.body, priority: .continuation) {}
        }
        func until(_ condition: (WorkerPoolStatus) -> Bool) async throws {
            for _ in 0..<6000 where !condition(await pool.status()) { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await until { $0.workers.contains { $0.state == "busy" } }
        let order = OrderLog()
        var tasks: [Task<Void, any Error>] = []
        for (n, name) in ["a", "b", "c"].enumerated() {
            tasks.append(
                Task {
                    let m = SpeechRequestMessage.phonemes(voice: "fr", ipa: false, text: name).encoded
                    _ = try await pool.call(kind: m.kind, body: m.body)
                    order.add(name)
                })
            try await until { $0.queued > n }
        }
        tasks.append(
            Task {
                let m = SpeechRequestMessage.phonemes(voice: "fr", ipa: false, text: "u").encoded
                _ = try await pool.call(kind: m.kind, body: m.body, priority: .first)
                order.add("u")
            })
        try await until { $0.queued == 4 }
        holder.cancel()
        for t in tasks { try await t.value }
        _ = await holder.result
        #expect(order.names.first == "u", "\(order.names)")
        await pool.shutdown()
    }

    @Test func vowelsTheAuthorWroteAreKept() async throws {
        let d = try await Support.diacritizer()
        // A passive "kutiba" written with its damma: the model alone would say the active "kataba".
        let text = "كُتب الطلب"
        let restored = try #require(await d.diacritize(text)).spokenString
        #expect(restored.hasPrefix("كُ"), "\(restored)")
        #expect(!restored.hasPrefix("كَ"))
        #expect(Self.stripped(restored) == Self.stripped(text))
        await d.pool.shutdown()
    }

    @Test func marksPointAtTheUndiacritizedText() async throws {
        let pool = try await Support.pool()
        let d = try await Support.diacritizer()
        let text = "يمكنكم طلب نسخة موجزة من رسم الولادة عبر البوابة الوطنية. تصلكم الوثيقة خلال 3 أيام مقابل 20 DH."
        let spoken = try await Support.speak(pool, text, voice: "ar", diacritizer: d)
        let words = spoken.marks.filter { $0.type == .word }
        #expect(words.map { Support.substring(text, $0) } == Support.words(text))
        #expect(words.map(\.timeMs) == words.map(\.timeMs).sorted())
        await pool.shutdown()
        await d.pool.shutdown()
    }

    @Test func arabicPhonemesHaveVowelsOnlyWithTheDiacritizer() async throws {
        let pool = try await Support.pool()
        let d = try await Support.diacritizer()
        let voice = VoiceCatalog.voice(named: "ar")!
        let text = "يمكنكم الحصول على البطاقة الوطنية"
        let bare = try await Speaker(pool: pool).phonemes(text, voice: voice, ipa: false)
        let vowelled = try await Speaker(pool: pool, diacritizer: d).phonemes(text, voice: voice, ipa: false)
        func vowels(_ s: String) -> Int { s.filter { "aiu".contains($0) }.count }
        #expect(vowels(vowelled) > vowels(bare) + 5, "bare: \(bare)\nvowelled: \(vowelled)")
        // "yumkinukumu", where eSpeak alone says the consonants "jmknkm".
        let plain = { (s: String) in s.filter { !",'.".contains($0) } }
        #expect(plain(bare).contains("jmknkm"), "\(bare)")
        #expect(plain(vowelled).contains("jumkinukum"), "\(vowelled)")
        await pool.shutdown()
        await d.pool.shutdown()
    }

    @Test func killingTheDiacritizerFailsOnlyItsRequest() async throws {
        let d = try await Support.diacritizer(workers: 1)
        let long = String(repeating: try Support.sampleText("ar_page") + " ", count: 12)
        let victim = Task { try await d.units(long) }
        var pid: Int32 = 0
        for _ in 0..<500 {
            if let busy = await d.pool.status().workers.first(where: { $0.state == "busy" }) {
                pid = busy.pid
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(pid > 0, "the long request never started")
        // A second request waits in the queue behind the victim and must survive its crash.
        let bystander = Task { try await d.units("الوثائق المطلوبة") }
        // The crash comes once the bystander is in the queue, within a deadline.
        let started = ContinuousClock.now
        var queued = false
        while !queued && ContinuousClock.now - started < .seconds(30) {
            queued = await d.pool.status().queued == 1
            if !queued { try await Task.sleep(for: .milliseconds(10)) }
        }
        try #require(queued, "the bystander never reached the queue")
        kill(pid, SIGKILL)
        await #expect(throws: WorkerError.self) { _ = try await victim.value }
        let units = try await bystander.value
        #expect(units.joined().unicodeScalars.contains { Self.harakat.contains($0) })
        #expect(await d.pool.status().crashes == 1)
        await d.pool.shutdown()
    }

    @Test func withoutTheDiacritizerArabicIsStillSpoken() async throws {
        let pool = try await Support.pool()
        let broken = Diacritizer.local(
            location: DiacritizerLocation(python: "/nonexistent/python3", script: "/nonexistent/worker.py"))
        await broken.start()
        #expect(await broken.isAvailable() == false)
        let spoken = try await Support.speak(pool, "الوثائق المطلوبة", voice: "ar", diacritizer: broken)
        #expect(spoken.total > 5000)
        #expect(spoken.marks.filter { $0.type == .word }.count == 2)
        await pool.shutdown()
    }

    @Test func qariDiacritizePrintsVowelledLines() throws {
        let r = try Support.run(Support.qariPath, ["diacritize"], stdin: Data("الوثائق المطلوبة\nBonjour\n".utf8))
        #expect(r.status == 0, "\(r.err)")
        let lines = String(decoding: r.out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(Self.stripped(lines[0]) == "الوثائق المطلوبة" && lines[0] != "الوثائق المطلوبة")
        #expect(lines[1] == "Bonjour")
    }
}

@Suite(.serialized) struct ChunkTests {
    @Test func theFirstSentenceIsSpokenAloneAndTheChunksCoverTheText() throws {
        let text = try Support.sampleText("ar_page")
        let chunks = Speaker.chunks(of: text, size: 600)
        #expect(chunks.count >= 4)
        #expect(chunks.map(\.text).joined() == text)
        #expect(chunks[0].text.unicodeScalars.count < 400, "first chunk: \(chunks[0].text)")
        var offset = 0
        for c in chunks {
            #expect(c.offset == offset)
            offset += c.text.unicodeScalars.count
            // Cuts fall after whitespace, never inside a word.
            if c.offset > 0 { #expect(Array(text.unicodeScalars)[c.offset - 1].properties.isWhitespace) }
        }
        #expect(Speaker.chunks(of: "Bonjour.").map(\.text) == ["Bonjour."])
    }

    @Test func aPageInChunksHasOneMarkPerWordInOrder() async throws {
        let pool = try await Support.pool()
        let d = try await Support.diacritizer()
        let text = try Support.sampleText("ar_page")
        let spoken = try await Support.speak(pool, text, voice: "ar", diacritizer: d)
        let words = spoken.marks.filter { $0.type == .word }
        #expect(words.map { Support.substring(text, $0) } == Support.words(text))
        #expect(words.map(\.timeMs) == words.map(\.timeMs).sorted())
        #expect(words.last!.timeMs < spoken.total * 1000 / 22050)
        #expect(spoken.samples.count == spoken.total)
        await pool.shutdown()
        await d.pool.shutdown()
    }
}

final class OrderLog: Sendable {
    private let state = Mutex<[String]>([])
    func add(_ name: String) { state.withLock { $0.append(name) } }
    var names: [String] { state.withLock { $0 } }
}
