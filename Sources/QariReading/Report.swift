import GRDB

/// A listener's report that a word was said wrong: the word, the voice and the phonemes as the reading spoke them.
public struct Report: Sendable, Codable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "reports"

    public var id: Int64?
    /// Seconds since 1970 (UTC).
    public var created: Int64
    public var reading: String
    public var passage: Int
    /// Code points within the passage.
    public var start: Int
    public var end: Int
    public var word: String
    public var voice: String
    /// eSpeak's phonemes for the word as spoken there.
    public var phonemes: String
    /// The passage's words around it, the word in brackets.
    public var context: String
    public var note: String

    public init(
        id: Int64? = nil, created: Int64, reading: String, passage: Int, start: Int, end: Int, word: String,
        voice: String, phonemes: String, context: String, note: String
    ) {
        self.id = id
        self.created = created
        self.reading = reading
        self.passage = passage
        self.start = start
        self.end = end
        self.word = word
        self.voice = voice
        self.phonemes = phonemes
        self.context = context
        self.note = note
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
