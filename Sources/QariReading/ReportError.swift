/// Why a report cannot be taken.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownReading(String)
    case noPassage(index: Int, count: Int)
    case badRange(start: Int, end: Int, length: Int)
    case noteTooLong(Int)
    case noWord(start: Int, end: Int)
    /// Reports keep the words around the reported one: a citizen's own page is never reported.
    case privateReading

    /// The longest note, in characters.
    public static let maxNote = 500

    public var description: String {
        switch self {
        case .unknownReading(let id): "no reading \(id): a report names a reading the daemon made"
        case .noPassage(let index, let count):
            "passage \(index) does not exist: the reading has \(count) (0 to \(count - 1))"
        case .badRange(let start, let end, let length):
            "start \(start) and end \(end) must satisfy 0 <= start < end <= \(length), the passage's code points"
        case .noteTooLong(let n): "the note has \(n) characters; at most \(Self.maxNote)"
        case .noWord(let start, let end): "code points \(start) to \(end) hold no word, only spaces or punctuation"
        case .privateReading: "this reading is private (a citizen's own page): its words are not reported or stored"
        }
    }
}
