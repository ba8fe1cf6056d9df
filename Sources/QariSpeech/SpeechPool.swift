import Logging
import QariWorkers

extension WorkerPool {
    /// A pool of `qari worker` (eSpeak NG) processes.
    public static func speech(
        _ configuration: WorkerPoolConfiguration = .speech(), logger: Logger = Logger(label: "qari.speech")
    ) -> WorkerPool {
        WorkerPool(name: "speech", configuration: configuration, answerEnds: SpeechAnswer.answerEnds, logger: logger)
    }

    /// Samples per second of every speech worker's PCM.
    public var sampleRate: Int { readyInfo == 0 ? 22050 : Int(readyInfo) }

    /// The phonemes eSpeak would speak for `text`.
    public nonisolated func phonemes(
        text: String, voice: String, ipa: Bool, priority: RequestPriority = .normal
    ) async throws -> String {
        let (kind, body) = SpeechRequestMessage.phonemes(voice: voice, ipa: ipa, text: text).encoded
        let answer = try await call(kind: kind, body: body, priority: priority)
        guard case .phonemes(let result) = try SpeechAnswer.decode(answer) else {
            throw WorkerError.failed(pool: name, message: "the speech worker returned no phonemes")
        }
        return result
    }
}

extension WorkerPoolConfiguration {
    /// Speech workers: `qari worker`, one per core unless `workers` says otherwise.
    ///
    /// The queue holds by default two requests per worker: a page's reading holds its worker for seconds, so a
    /// longer queue only makes waits longer (32 clients waited 11 s at p99 behind a queue of 64); beyond it, 503.
    public static func speech(
        workers: Int? = nil, queueLimit: Int? = nil, requestTimeout: Duration = .seconds(60),
        command: WorkerCommand = .current(["worker"]), niceness: Int = 0
    ) -> WorkerPoolConfiguration {
        var c = WorkerPoolConfiguration(
            queueLimit: queueLimit ?? 0, requestTimeout: requestTimeout, command: command, niceness: niceness)
        if let workers { c.workers = max(1, workers) }
        if queueLimit == nil { c.queueLimit = 2 * c.workers }
        // With lower priority, one worker keeps the daemon's for the first pieces a listener waits for.
        c.promptWorkers = 1
        return c
    }
}
