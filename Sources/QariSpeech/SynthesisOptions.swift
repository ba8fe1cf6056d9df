import Logging
import QariWorkers

/// Synthesis settings passed to eSpeak NG.
public struct SynthesisOptions: Sendable, Equatable {
    /// Speaking rate in words per minute (80–450).
    public var rate: Int
    /// Base pitch (0–100, 50 is the voice's normal).
    public var pitch: Int
    /// Volume (0–200, 100 is normal).
    public var volume: Int
    /// The text holds eSpeak SSML markup.
    public var ssml: Bool
    /// Text inside `[[…]]` is eSpeak phoneme mnemonics.
    public var phonemeInput: Bool
    /// A citizen's own text: nothing of it is kept once spoken (the diacritizer's memo of sentences included).
    public var isPrivate = false

    public static let rateRange = 80...450
    public static let pitchRange = 0...100
    public static let volumeRange = 0...200

    public init(rate: Int = 175, pitch: Int = 50, volume: Int = 100, ssml: Bool = false, phonemeInput: Bool = false) {
        self.rate = rate
        self.pitch = pitch
        self.volume = volume
        self.ssml = ssml
        self.phonemeInput = phonemeInput
    }
}
