import QariSpeech

/// A page to be read aloud, by its content address.
public struct Reading: Sendable {
    /// SHA-256 of what is spoken (passages, voices, options) and of the versions that speak it.
    public let id: String
    public let plan: PagePlan
    public let options: SynthesisOptions
    /// A citizen's own page: kept in memory only, under a random id (see `PrivateReadings`).
    public let isPrivate: Bool

    public init(
        plan: PagePlan, options: SynthesisOptions = .init(), versions: ReadingVersions, lexicons: String = "none"
    ) {
        self.plan = plan
        self.options = options
        isPrivate = false
        var key = "qari reading\n\(versions.qari)\n\(versions.engine)\n\(versions.voices)\n\(versions.diacritizer)\n"
        // The lexicons in use: a linguist's change makes new readings, never stale audio.
        if lexicons != "none" { key += "lexicons \(lexicons)\n" }
        key += "rate \(options.rate) pitch \(options.pitch) volume \(options.volume)\n"
        for passage in plan.passages {
            key += "\(passage.voice.id)\t\(passage.text.unicodeScalars.count)\t\(passage.text)\n"
        }
        // A page's fields are said too (and a page without any keeps the id it had before fields were read).
        for i in plan.content.fields.indices {
            let field = plan.spokenField(i)
            key += "field\t\(field.voice.id)\t\(field.text.unicodeScalars.count)\t\(field.text)\n"
        }
        id = ContentHash.sha256(Array(key.utf8))
    }

    /// Whether `name` has the form of a reading id: a content hash (64 hex digits) or a private one (`p` + 40).
    public static func isID(_ name: String) -> Bool { ReadingStore.isID(name) || PrivateReadings.isID(name) }

    init(id: String, plan: PagePlan, options: SynthesisOptions, isPrivate: Bool = false) {
        self.id = id
        self.plan = plan
        self.options = options
        self.isPrivate = isPrivate
    }
}
