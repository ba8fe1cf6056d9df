import QariPage
import QariSpeech
import QariText

/// What is stored of a reading's plan, to serve it after a restart.
struct StoredPlan: Codable {
    var content: PageContent
    var voices: [String]
    var rate: Int
    var pitch: Int
    var volume: Int
}

extension StoredPlan {
    init(_ reading: Reading) {
        self.init(
            content: reading.plan.content, voices: reading.plan.voices.map(\.id), rate: reading.options.rate,
            pitch: reading.options.pitch, volume: reading.options.volume)
    }
}

extension PagePlan {
    /// A plan whose voices were chosen before (a stored reading's).
    init(content: PageContent, voiceIDs: [String]) throws(ReadingError) {
        try self.init(content: content)
        guard voiceIDs.count == content.passages.count else { throw .badAnswer("a stored plan does not match") }
        voices = try voiceIDs.map { id throws(ReadingError) in
            guard let v = VoiceCatalog.voice(named: id) else { throw .unknownVoice(lang: "", voice: id) }
            return v
        }
    }
}
