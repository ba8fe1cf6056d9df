import Foundation
import QariPage
import QariSpeech

/// Page reading and transforms for the daemon, done by `qari page-worker` processes.
public struct PageService: Sendable {
    public let pool: WorkerPool
    public let options: PageOptions

    public init(pool: WorkerPool, options: PageOptions) {
        self.pool = pool
        self.options = options
    }

    /// The main content of a page.
    func read(bytes: [UInt8], charset: String?) async throws -> PageContent {
        let result = try await perform(PageWork.Job(operation: .read, charset: charset, options: options), bytes)
        guard let content = result.content else { throw Self.resultProblem(result) }
        return content
    }

    /// The page with the display modes applied.
    func transform(bytes: [UInt8], charset: String?, modes: [String]) async throws -> String {
        let job = PageWork.Job(operation: .transform, charset: charset, options: options, modes: modes)
        let result = try await perform(job, bytes)
        guard let html = result.html else { throw Self.resultProblem(result) }
        return html
    }

    private func perform(_ job: PageWork.Job, _ bytes: [UInt8]) async throws -> PageWork.Result {
        let request = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
        let answer: [UInt8]
        do {
            answer = try await pool.page(request: request, body: bytes)
        } catch {
            throw problem(for: error)
        }
        do {
            return try JSONDecoder().decode(PageWork.Result.self, from: Data(answer))
        } catch {
            throw Problem(
                .internalServerError, code: "internal", title: "Internal error",
                detail: "the page worker's answer could not be read: \(error)")
        }
    }

    static func resultProblem(_ result: PageWork.Result) -> Problem {
        if let error = result.error { return ReadRoutes.pageProblem(error) }
        if let mode = result.badMode {
            return Problem(.badRequest, code: "unknown-mode", title: "Unknown display mode", detail: mode)
        }
        return Problem(
            .internalServerError, code: "internal", title: "Internal error", detail: "the page worker gave no answer")
    }
}
