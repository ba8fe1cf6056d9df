import QariTestSupport
import Testing

@testable import QariSpeech

@Suite struct ProtocolTests {
    static let messages: [WorkerMessage] = [
        .synthesize(
            id: 7, voice: "ar", options: .init(rate: 300, pitch: 20, volume: 150, ssml: true, phonemeInput: false),
            text: "مرحبا بكم ✓"),
        .phonemes(id: 8, voice: "fr", ipa: true, text: "bonjour"),
        .ready(sampleRate: 22050, pid: 1234),
        .audio(id: 9, samples: [0, 1, -1, .max, .min]),
        .marks(
            id: 9,
            marks: [
                .init(kind: .word, position: 3, length: 4, sample: 22050),
                .init(kind: .mark, position: 0, length: 0, sample: 5, name: "m1"),
            ]),
        .end(id: 9, samples: 44100),
        .failure(id: 9, message: "no voice"),
        .phonemesResult(id: 8, text: "bO~Z'ur"),
    ]

    @Test func everyMessageSurvivesTheWire() throws {
        for message in Self.messages {
            var decoder = FrameDecoder()
            message.encoded().withUnsafeBytes { decoder.append($0) }
            #expect(try decoder.next() == message)
            #expect(try decoder.next() == nil)
        }
    }

    @Test func framesSplitAcrossReadsAreReassembled() throws {
        let bytes = Self.messages.flatMap { $0.encoded() }
        var decoder = FrameDecoder()
        var decoded: [WorkerMessage] = []
        // Feed the stream three bytes at a time, as a pipe may deliver it.
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(i + 3, bytes.count)])
            piece.withUnsafeBytes { decoder.append($0) }
            while let m = try decoder.next() { decoded.append(m) }
            i += 3
        }
        #expect(decoded == Self.messages)
    }

    @Test func garbageIsRejectedNotTrusted() {
        var decoder = FrameDecoder()
        // A frame claiming 2 GiB.
        ([0xff, 0xff, 0xff, 0x7f, 11] as [UInt8]).withUnsafeBytes { decoder.append($0) }
        #expect(throws: WorkerProtocolError.self) { try decoder.next() }

        var truncated = FrameDecoder()
        // An end frame whose payload is too short for its fields.
        ([2, 0, 0, 0, 13, 1, 2] as [UInt8]).withUnsafeBytes { truncated.append($0) }
        #expect(throws: WorkerProtocolError.self) { try truncated.next() }

        var unknown = FrameDecoder()
        ([0, 0, 0, 0, 99] as [UInt8]).withUnsafeBytes { unknown.append($0) }
        #expect(throws: WorkerProtocolError.self) { try unknown.next() }
    }
}

@Suite struct AudioFormatTests {
    @Test func acceptHeaderChoosesTheBestFormat() {
        #expect(AudioFormat.negotiate(accept: nil) == .wav)
        #expect(AudioFormat.negotiate(accept: "audio/ogg") == .ogg)
        #expect(AudioFormat.negotiate(accept: "audio/ogg;codecs=opus;q=0.5, audio/mpeg") == .mp3)
        #expect(AudioFormat.negotiate(accept: "text/html, */*;q=0.1") == .wav)
        #expect(AudioFormat.negotiate(accept: "text/html") == nil)
        #expect(AudioFormat.negotiate(accept: "audio/mpeg;q=0") == nil)
    }

    @Test func namesAndExtensions() {
        #expect(AudioFormat(name: "OPUS") == .ogg)
        #expect(AudioFormat(name: "mp3") == .mp3)
        #expect(AudioFormat(name: "flac") == nil)
    }
}

@Suite struct SpokenTextTests {
    @Test func aHeadingLineGetsAFullStopThatMapsToTheLineBreak() {
        let text = SpokenText.prepare("Pièces à fournir\nUne photo.\nFin")
        #expect(text.spokenString == "Pièces à fournir.\nUne photo.\nFin")
        // The inserted stop stands for nothing in the original: it maps to an empty range at the line break.
        #expect(text.originalRange(spokenStart: 16, length: 1) == 16..<16)
        // "Une" in the spoken copy is "Une" in the original.
        #expect(text.originalRange(spokenStart: 18, length: 3) == 17..<20)
    }

    @Test func replacementsMapToTheWholeOriginalSpan() {
        var text = SpokenText(original: "20 DH")
        text.copy(0..<3)
        text.replace(3..<5, with: "dirhams")
        #expect(text.spokenString == "20 dirhams")
        #expect(text.originalRange(spokenStart: 3, length: 7) == 3..<5)
        #expect(text.originalRange(spokenStart: 5, length: 2) == 3..<5)
    }
}

@Suite struct MarkMapperTests {
    @Test func skippedWordsGetInterpolatedMarksAndPiecesCollapse() {
        let text = SpokenText.prepare("Bonjour tout le monde, d'identité.")
        var mapper = MarkMapper(text: text, sampleRate: 1000)
        // As eSpeak reports it: "Bonjour", "tout" (covering nothing after), then "d" of d'identité.
        var marks = mapper.map([
            .init(kind: .word, position: 0, length: 7, sample: 0),
            .init(kind: .word, position: 8, length: 4, sample: 300),
            .init(kind: .word, position: 23, length: 1, sample: 1200),
            .init(kind: .word, position: 25, length: 8, sample: 1300),
        ])
        marks += mapper.finish(totalSamples: 2000)
        let words = marks.map { Support.substring("Bonjour tout le monde, d'identité.", $0) }
        #expect(words == ["Bonjour", "tout", "le", "monde", "d'identité"])
        #expect(marks.map(\.timeMs) == [0, 300, 600, 900, 1200])
    }

    @Test func wordsBeyondTheLastEventShareTheRemainingAudio() {
        let text = SpokenText.prepare("un deux trois")
        var mapper = MarkMapper(text: text, sampleRate: 1000)
        var marks = mapper.map([.init(kind: .word, position: 0, length: 2, sample: 0)])
        marks += mapper.finish(totalSamples: 900)
        #expect(marks.map { Support.substring("un deux trois", $0) } == ["un", "deux", "trois"])
        #expect(marks.map(\.timeMs) == [0, 300, 600])
    }
}
