import Foundation
import QariPage
import QariSpeech

/// The front door: a page goes in and a reading comes out; the reading gives its audio and marks.
extension Readings {
    /// The page's plan (its passages and their voices), read by the page workers; throws `PageError`,
    /// `ReadingError` or `WorkerError`.
    public func plan(_ page: PageInput) async throws -> PagePlan {
        let content = try await pages.read(
            bytes: page.bytes, charset: page.charset, priority: page.background ? .background : .normal)
        return try PagePlan(content: content, overrides: page.overrides)
    }

    /// The page's reading; `cached` when its audio is made already.
    public func read(_ page: PageInput, options: SynthesisOptions = .init()) async throws -> (
        Reading, cached: Bool
    ) {
        // A public page read lately is not read again (a private one always is, and is never remembered).
        let key = page.isPrivate ? nil : PlanMemo.key(page)
        if let key, let plan = planMemo.plan(key) {
            plansRemembered += 1
            return await create(plan, options: options)
        }
        let plan = try await plan(page)
        plansRead += 1
        if let key, !plan.content.isPrivate { planMemo.keep(plan, under: key) }
        return await create(plan, options: options, isPrivate: page.isPrivate || plan.content.isPrivate)
    }

    /// The reading's marks once it is complete (made now if nobody has).
    public func completeMarks(_ reading: Reading) async throws -> ReadingMarks {
        switch await marks(reading) {
        case .complete(let marks): return marks
        case .live(let stream):
            for try await _ in stream {}
            if case .complete(let marks) = await marks(reading) { return marks }
            throw MarksUnavailable()
        }
    }

    /// The marks as NDJSON lines given to `write` each as soon as its word is spoken, then
    /// `{"type": "end", "duration_ms"}`. Written as they come, with no buffer between: a slow or gone reader holds
    /// back (or ends) the writing, not a task of its own.
    public nonisolated func writeMarkLines(
        _ reading: Reading, to write: ([UInt8]) async throws -> Void
    ) async throws {
        switch await marks(reading) {
        case .complete(let marks):
            var all: [UInt8] = []
            for m in marks.marks { all += try Self.line(m) }
            all += try Self.line(EndLine(durationMs: marks.durationMs))
            try await write(all)
        case .live(let stream):
            for try await mark in stream { try await write(try Self.line(mark)) }
            let marks = try await completeMarks(reading)
            try await write(try Self.line(EndLine(durationMs: marks.durationMs)))
        }
    }

    /// The marks as WebVTT, a cue per word (made now if nobody has).
    public func webVTT(_ reading: Reading) async throws -> String {
        try await completeMarks(reading).webVTT(plan: reading.plan)
    }

    /// The speech, diacritizer and page pools, for health and metrics.
    public func poolsStatus() async -> PoolsStatus {
        let speech = await speaker.pool.status()
        let diacritizer = await speaker.diacritizer?.pool.status()
        let pagePool = await pages.pool?.status()
        return PoolsStatus(
            speech: speech, diacritizer: diacritizer ?? .absent("diacritizer"), pages: pagePool ?? .absent("pages"),
            present: [speech] + [diacritizer, pagePool].compactMap { $0 })
    }

    /// One NDJSON line.
    static func line(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value)) + [0x0A]
    }

    struct EndLine: Encodable {
        var type = "end"
        var durationMs: Int
        enum CodingKeys: String, CodingKey {
            case type
            case durationMs = "duration_ms"
        }
    }
}
