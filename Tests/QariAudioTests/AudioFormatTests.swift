import Testing

@testable import QariAudio

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
