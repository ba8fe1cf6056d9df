/// Why a page cannot be read.
public enum PageError: Error, Equatable, Sendable, Codable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case undecodable(HTMLDecoding.Failure)
    case timeLimit(milliseconds: Int)
    case tooDeep(depth: Int, limit: Int)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): "the page is \(bytes) bytes; the limit is \(limit)"
        case .undecodable(let failure): failure.description
        case .timeLimit(let ms): "the page took longer than \(ms) ms to read; it is too large or too complex"
        case .tooDeep(let depth, let limit): "the page nests elements \(depth) deep or more; the limit is \(limit)"
        }
    }
}
