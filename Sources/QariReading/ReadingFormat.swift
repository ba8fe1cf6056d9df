import QariAudio
import QariSpeech

/// The audio formats a reading is made in: Ogg Opus with the reading (what the reader button plays), MP3 only
/// when someone asks for it (the download), from a synthesis of its own, then kept like the Ogg.
public enum ReadingFormat: String, Sendable, CaseIterable {
    case ogg, mp3

    public var audioFormat: AudioFormat { self == .ogg ? .ogg : .mp3 }
    public var fileName: String { "audio.\(rawValue)" }
}
