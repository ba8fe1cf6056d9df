import Foundation
import Logging
import QariPage
import QariSpeech
import QariWorkers

/// The frame kinds of a `qari page-worker` process.
public enum PageFrameKind: UInt8, FrameKindTable {
    case request = 4
    case result = 17
}

/// Work on one page's bytes: read its main content, or apply display modes.
public struct PageJob: Codable, Sendable, Equatable {
    public enum Operation: Codable, Sendable, Equatable {
        case read
        /// Display mode specs (`contrast:dark`, `large:200`).
        case transform(modes: [String])
    }

    public var operation: Operation
    /// The charset the transport named, if any.
    public var charset: String?
    public var options: PageOptions

    public init(operation: Operation, charset: String?, options: PageOptions) {
        self.operation = operation
        self.charset = charset
        self.options = options
    }

    /// Does the job on the calling thread (a page worker's main thread, whose stack holds the bounded depth).
    public func perform(bytes: [UInt8]) -> PageResult {
        do throws(PageError) {
            return finish(try PageReader.parseHere(bytes: bytes, charset: charset, options: options))
        } catch {
            return .failed(error)
        }
    }

    /// Does the job in this process, parsing on a thread of its own (for the command line).
    public func performHere(bytes: [UInt8]) async -> PageResult {
        do throws(PageError) {
            return finish(try await PageReader.parse(bytes: bytes, charset: charset, options: options))
        } catch {
            return .failed(error)
        }
    }

    private func finish(_ document: HTMLDocument) -> PageResult {
        switch operation {
        case .read:
            do throws(PageError) {
                return .content(try PageReader.extract(document, options: options))
            } catch {
                return .failed(error)
            }
        case .transform(let specs):
            do throws(DisplayTransform.TransformError) {
                return .html(DisplayTransform.transform(document, modes: try DisplayTransform.Modes.parse(specs)))
            } catch {
                return .badMode(error.description)
            }
        }
    }
}

/// What a page job gives.
public enum PageResult: Codable, Sendable {
    /// The page's main content (`read`).
    case content(PageContent)
    /// The transformed page (`transform`).
    case html(String)
    /// The page could not be read.
    case failed(PageError)
    /// A display mode that does not parse.
    case badMode(String)
}

/// Why a page cannot be read or planned, beyond the page's own errors (`PageError`).
public enum ReadingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The page has no main content.
    case nothingToRead
    /// A voice override names no voice.
    case unknownVoice(lang: String, voice: String)
    /// A display mode that does not parse.
    case unknownMode(String)
    /// A page worker's answer could not be read.
    case badAnswer(String)

    public var description: String {
        switch self {
        case .nothingToRead: "the page has no main content to read (all of it is navigation, controls or hidden)"
        case .unknownVoice(let lang, let voice):
            "no voice \"\(voice)\" for \(lang); available voices: \(VoiceCatalog.ids.joined(separator: ", "))"
        case .unknownMode(let detail): detail
        case .badAnswer(let detail): "the page worker's answer could not be read: \(detail)"
        }
    }
}

/// The `qari page-worker` process: libgumbo parses untrusted HTML in C, so it runs there, where a fault costs one
/// request.
public enum PageWorker {
    static let requestKind = PageFrameKind.request.rawValue
    static let resultKind = PageFrameKind.result.rawValue

    /// Serves page jobs on stdin/stdout until stdin closes; returns the exit status.
    public static func serve() -> Int32 {
        let encoder = JSONEncoder()
        return WorkerLoop.serve(label: "qari page-worker") { frame, out in
            var r = ByteReader(frame.body)
            guard frame.kind == requestKind, let json = try? r.string(), let bytes = try? r.raw(),
                let job = try? JSONDecoder().decode(PageJob.self, from: Data(json.utf8))
            else {
                return out.fail(frame.id, "a page worker takes page jobs only")
            }
            guard let data = try? encoder.encode(job.perform(bytes: bytes)) else {
                return out.fail(frame.id, "the page result could not be encoded")
            }
            return out.send(Frame(kind: resultKind, id: frame.id, body: Array(data)))
        }
    }

    /// A pool of page workers.
    public static func pool(_ configuration: WorkerPoolConfiguration = .pages(), logger: Logger) -> WorkerPool {
        WorkerPool(name: "pages", configuration: configuration, answerEnds: [resultKind], logger: logger)
    }
}

extension WorkerPoolConfiguration {
    /// Page workers: two `qari page-worker` processes, 10 s per page.
    public static func pages(
        workers: Int = 2, queueLimit: Int = 64, requestTimeout: Duration = .seconds(10),
        command: WorkerCommand = .current(["page-worker"])
    ) -> WorkerPoolConfiguration {
        WorkerPoolConfiguration(
            workers: workers, queueLimit: queueLimit, requestTimeout: requestTimeout, command: command)
    }
}

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
    public func read(bytes: [UInt8], charset: String?) async throws -> PageContent {
        switch try await perform(PageJob(operation: .read, charset: charset, options: options), bytes) {
        case .content(let content): return content
        case .failed(let error): throw error
        case .html, .badMode: throw ReadingError.badAnswer("a transform answered a read")
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
        case .content: throw ReadingError.badAnswer("a read answered a transform")
        }
    }

    private func perform(_ job: PageJob, _ bytes: [UInt8]) async throws -> PageResult {
        guard let pool else { return await job.performHere(bytes: bytes) }
        var w = ByteWriter()
        w.string(String(decoding: try JSONEncoder().encode(job), as: UTF8.self))
        w.raw(bytes)
        let answer = try await pool.call(kind: PageWorker.requestKind, body: w.bytes)
        do {
            return try JSONDecoder().decode(PageResult.self, from: Data(answer.body))
        } catch {
            throw ReadingError.badAnswer("\(error)")
        }
    }
}
