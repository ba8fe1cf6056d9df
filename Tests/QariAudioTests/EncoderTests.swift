import Foundation
import QariSpeech
import QariTestSupport
import QariText
import Testing

@testable import QariAudio

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
