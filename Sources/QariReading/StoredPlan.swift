import QariPage
import QariSpeech
import QariText

/// What is stored of a reading's plan, to serve it after a restart.
struct StoredPlan: Codable {
    var content: PageContent
    var voices: [String]
    /// The fields' voices (absent from plans stored before forms were read).
    var fieldVoices: [String]?
    var rate: Int
    var pitch: Int
    var volume: Int
}

extension StoredPlan {
    init(_ reading: Reading) {
        self.init(
            content: reading.plan.content, voices: reading.plan.voices.map(\.id),
            fieldVoices: reading.plan.fieldVoices.map(\.id), rate: reading.options.rate,
            pitch: reading.options.pitch, volume: reading.options.volume)
    }
}

extension PagePlan {
    /// A plan whose voices were chosen before (a stored reading's).
    init(content: PageContent, voiceIDs: [String], fieldVoiceIDs: [String]? = nil) throws(ReadingError) {
        try self.init(content: content)
        guard voiceIDs.count == content.passages.count,
            fieldVoiceIDs.map({ $0.count == content.fields.count }) ?? true
        else { throw .badAnswer("a stored plan does not match") }
        func voice(_ id: String) throws(ReadingError) -> Voice {
            guard let v = VoiceCatalog.voice(named: id) else { throw .unknownVoice(lang: "", voice: id) }
            return v
        }
        voices = try voiceIDs.map(voice)
        if let fieldVoiceIDs { fieldVoices = try fieldVoiceIDs.map(voice) }
    }
}
