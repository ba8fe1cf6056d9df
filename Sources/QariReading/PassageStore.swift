import Foundation
import QariAudio
import QariSpeech
import QariText
import Synchronization

/// A passage's audio and marks as stored: reused by every reading that says the same thing the same way.
public struct StoredPassage: Sendable, Equatable {
    public var audio: OpusPassage
    /// Its marks, timed from the passage's start (their passage index is the reading's to set).
    public var marks: [Mark]
}

/// Readings' passages in the reading store, each under a key made of what is spoken: the voice, the text as the voice
/// is given it (so only the lexicon entries a passage uses count), the options, the versions and the encoding.
///
/// Why: a reading's id covers all its passages, so a changed date, a new lexicon entry or a shared footer used to
/// re-make every passage of every page it touched. Assembled from stored passages, only what changed is spoken.
public struct PassageStore: Sendable {
    public let store: ReadingStore
    public let versions: ReadingVersions
    /// Passages found stored, and made (not found), since the start.
    let counts = PassageCounts()

    public init(store: ReadingStore, versions: ReadingVersions) {
        self.store = store
        self.versions = versions
    }

    /// The key of a passage that `voice` says as `spoken` (its prepared text) with `options`; `opening` when it is
    /// encoded as a reading's first (its first seconds at a higher bitrate).
    public func key(spoken: String, voice: Voice, options: SynthesisOptions, opening: Bool) -> String {
        let v = versions
        let head = "qari passage 1\n\(v.qari)\n\(v.engine)\n\(v.voices)\n\(v.diacritizer)\n\(voice.id)\n"
        let settings = "\(options.rate) \(options.pitch) \(options.volume) \(opening ? "opening" : "-")\n"
        return ContentHash.sha256(Array((head + settings + spoken).utf8))
    }

    /// The stored passage under `key`, if any (a damaged one is not).
    func load(_ key: String) async -> StoredPassage? {
        guard let audio = await store.use(key, Self.audioFile).flatMap({ OpusPassage(bytes: Array($0)) }),
            let json = await store.use(key, Self.marksFile),
            let marks = try? JSONDecoder().decode([Mark].self, from: json)
        else {
            return nil
        }
        return StoredPassage(audio: audio, marks: marks)
    }

    /// Keeps a passage just made (a fault of the disk is the store's to report: the reading goes on).
    func save(_ key: String, _ passage: StoredPassage) async {
        guard let marks = try? JSONEncoder().encode(passage.marks) else { return }
        try? await store.save(key, files: [Self.audioFile: passage.audio.bytes, Self.marksFile: Array(marks)])
    }

    static let audioFile = "passage.opus"
    static let marksFile = "marks.json"

    /// Passages reused and made, for `/metrics`.
    public var statistics: (reused: Int, made: Int) {
        (counts.reused.load(ordering: .relaxed), counts.made.load(ordering: .relaxed))
    }
}

/// The counters behind `PassageStore.statistics`.
final class PassageCounts: Sendable {
    let reused = Atomic<Int>(0)
    let made = Atomic<Int>(0)
}
