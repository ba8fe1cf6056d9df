import Foundation
import QariSpeech

/// The versions of everything that turns a reading's text into sound: part of every reading's address, so a new
/// engine, voice or vowel model never serves stale audio.
public struct ReadingVersions: Sendable, Equatable {
    public var engine: String
    public var voices: String
    public var diacritizer: String
    /// Qari's own text preparation (normaliser, front ends): bumped when it changes what is spoken.
    public var qari = "qari-reading-1"

    public init(engine: String, voices: String, diacritizer: String) {
        self.engine = engine
        self.voices = voices
        self.diacritizer = diacritizer
    }

    /// The versions of this installation: libespeak-ng's, a hash of `voices/`, and of the diacritizer worker.
    public static func current(diacritizer: DiacritizerLocation?) -> ReadingVersions {
        let voices = EspeakData.voicesDirectory().flatMap { try? EspeakData.version(voices: $0) }
        let vowels = diacritizer.map { location -> String in
            let folder = URL(fileURLWithPath: location.script).deletingLastPathComponent()
            var bytes: [UInt8] = []
            for file in [location.script, folder.appendingPathComponent("requirements.txt").path] {
                bytes += Array(FileManager.default.contents(atPath: file) ?? Data())
            }
            return ContentHash.sha256(bytes)
        }
        return ReadingVersions(
            engine: SpeechEngine.libraryVersion, voices: voices.map { String($0, radix: 16) } ?? "system",
            diacritizer: vowels ?? "none")
    }
}
