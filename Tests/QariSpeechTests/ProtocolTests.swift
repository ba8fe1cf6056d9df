import QariTestSupport
import QariText
import QariWorkers
import Testing

@testable import QariSpeech

/// The speech worker's messages on top of the worker framing.
@Suite struct ProtocolTests {
    static let requests: [SpeechRequestMessage] = [
        .synthesize(
            voice: "ar", options: .init(rate: 300, pitch: 20, volume: 150, ssml: true, phonemeInput: false),
            text: "مرحبا بكم ✓"),
        .phonemes(voice: "fr", ipa: true, text: "bonjour"),
    ]
    static let answers: [SpeechAnswer] = [
        .audio([0, 1, -1, .max, .min]),
        .marks([
            .init(kind: .word, position: 3, length: 4, sample: 22050),
            .init(kind: .mark, position: 0, length: 0, sample: 5, name: "m1"),
        ]),
        .end(samples: 44100),
        .phonemes("bO~Z'ur"),
    ]

    static func wire(_ frame: Frame) throws -> Frame {
        var decoder = FrameDecoder()
        frame.encoded().withUnsafeBytes { decoder.append($0) }
        guard case .frame(let decoded) = try decoder.next() else { throw FrameError("not a frame") }
        return decoded
    }

    @Test func everyMessageSurvivesTheWire() throws {
        for (i, request) in Self.requests.enumerated() {
            let (kind, body) = request.encoded
            let frame = try Self.wire(Frame(kind: kind, id: UInt64(i + 7), body: body))
            #expect(frame.id == UInt64(i + 7))
            #expect(try SpeechRequestMessage.decode(frame) == request)
        }
        for answer in Self.answers {
            let frame = try Self.wire(answer.frame(id: 9))
            #expect(frame.id == 9)
            #expect(try SpeechAnswer.decode(frame) == answer)
        }
    }

    @Test func framesSplitAcrossReadsAreReassembled() throws {
        let bytes = Self.answers.flatMap { $0.frame(id: 9).encoded() }
        var decoder = FrameDecoder()
        var decoded: [SpeechAnswer] = []
        // Feed the stream three bytes at a time, as a pipe may deliver it.
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(i + 3, bytes.count)])
            piece.withUnsafeBytes { decoder.append($0) }
            while case .frame(let frame) = try decoder.next() { decoded.append(try SpeechAnswer.decode(frame)) }
            i += 3
        }
        #expect(decoded == Self.answers)
    }

    @Test func garbageIsRejectedNotTrusted() {
        // An end frame whose body is too short for its sample count.
        #expect(throws: FrameError.self) { try SpeechAnswer.decode(Frame(kind: 13, id: 1, body: [1, 2])) }
        // A marks frame claiming more marks than it has bytes.
        #expect(throws: FrameError.self) { try SpeechAnswer.decode(Frame(kind: 12, id: 1, body: [0xff, 0xff, 0, 0])) }
        // A kind no speech worker sends.
        #expect(throws: FrameError.self) { try SpeechAnswer.decode(Frame(kind: 99, id: 1, body: [])) }
        #expect(throws: FrameError.self) { try SpeechRequestMessage.decode(Frame(kind: 99, id: 1, body: [])) }
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

    /// A link is read as its host alone: the path's words are not said, so the highlight never lands on them.
    @Test func wordsThatAreNotSaidGetNoMark() {
        let link = "https://www.lematin.ma/actualite/article/Les-guichets-uniques-ouvrent-14848382.php"
        let text = TextNormalizer.normalize(link, language: .french)
        #expect(text.spokenString == "lien vers lematin point ma")
        var mapper = MarkMapper(text: text, sampleRate: 1000)
        let marks =
            mapper.map([.init(kind: .word, position: 0, length: 4, sample: 0)])
            + mapper.finish(totalSamples: 1200)
        #expect(marks.map { Support.substring(link, $0) } == ["lematin", "ma"])
    }
}
