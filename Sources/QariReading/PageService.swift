import Foundation
import Logging
import QariPage
import QariSpeech
import QariWorkers

/// Reads and transforms pages: in page workers (the daemon) or in this process (the command line).
public struct PageService: Sendable {
    /// The page workers; nil parses in this process.
    public let pool: WorkerPool?
    public let options: PageOptions

    /// Pages parsed by the workers of `pool`.
    public init(pool: WorkerPool, options: PageOptions) {
        self.pool = pool
        self.options = options
    }

    /// Pages parsed in this process.
    public init(options: PageOptions) {
        self.pool = nil
        self.options = options
    }

    /// The main content of a page; throws `PageError`, `ReadingError` or `WorkerError`.
    public func read(bytes: [UInt8], charset: String?, priority: RequestPriority = .normal) async throws -> PageContent
    {
        switch try await perform(PageJob(operation: .read, charset: charset, options: options), bytes, priority) {
        case .content(let content): return content
        case .failed(let error): throw error
        case .html, .badMode, .fields: throw ReadingError.badAnswer("another job answered a read")
        }
    }

    /// The form fields of a page or a fragment of one; throws as `read` does.
    public func fields(bytes: [UInt8], lang: String?) async throws -> [FormField] {
        switch try await perform(PageJob(operation: .fields(lang: lang), charset: nil, options: options), bytes) {
        case .fields(let fields): return fields
        case .failed(let error): throw error
        case .html, .badMode, .content: throw ReadingError.badAnswer("another job answered a fields request")
        }
    }

    /// The page with the display modes applied; throws as `read` does.
    public func transform(bytes: [UInt8], charset: String?, modes: [String]) async throws -> String {
        switch try await perform(
            PageJob(operation: .transform(modes: modes), charset: charset, options: options), bytes)
        {
        case .html(let html): return html
        case .failed(let error): throw error
        case .badMode(let detail): throw ReadingError.unknownMode(detail)
        case .content, .fields: throw ReadingError.badAnswer("another job answered a transform")
        }
    }

    private func perform(_ job: PageJob, _ bytes: [UInt8], _ priority: RequestPriority = .normal) async throws
        -> PageResult
    {
        guard let pool else { return await job.performHere(bytes: bytes) }
        var w = ByteWriter()
        w.string(String(decoding: try JSONEncoder().encode(job), as: UTF8.self))
        w.raw(bytes)
        let answer = try await pool.call(kind: PageWorker.requestKind, body: w.bytes, priority: priority)
        do {
            if answer.kind == PageWorker.contentKind {
                var r = ByteReader(answer.body)
                let content = try PageContent.read(from: &r)
                try r.end(answer.kind)
                return .content(content)
            }
            return try JSONDecoder().decode(PageResult.self, from: Data(answer.body))
        } catch {
            throw ReadingError.badAnswer("\(error)")
        }
    }
}
