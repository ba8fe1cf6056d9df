import CEspeakNG
import Glibc
import QariWorkers

/// The main loop of a `qari worker` process: one engine, requests read from stdin, frames written to stdout.
public enum SpeechWorker {
    /// Audio is flushed to the daemon once this many samples are buffered (the first chunk leaves at once).
    static let flushSamples = 8192

    /// Runs until stdin closes; returns the process exit status.
    public static func run(dataPath: String?, input: Int32 = 0, output: Int32 = 1) -> Int32 {
        var dataPath = dataPath
        // Without an explicit data path, the private copy with the Amazigh voices; the system's if that fails.
        if dataPath == nil, let voices = EspeakData.voicesDirectory() {
            do {
                dataPath = try EspeakData.prepare(voices: voices)
            } catch {
                writeStderr("qari worker: Amazigh voices unavailable: \(error)\n")
            }
        }
        let engine: SpeechEngine
        do {
            engine = try SpeechEngine(dataPath: dataPath)
        } catch {
            writeStderr("qari worker: \(error)\n")
            return 1
        }
        return WorkerLoop.serve(info: UInt32(engine.sampleRate), label: "qari worker", input: input, output: output) {
            frame, out in
            let message: SpeechRequestMessage
            do {
                message = try SpeechRequestMessage.decode(frame)
            } catch {
                return out.fail(frame.id, "\(error)")
            }
            // The voice is loaded here, once for as long as requests keep to it: loading a dictionary takes longer
            // than forking. Only voice selection happens in this process, never synthesis, so every child starts
            // from the same engine state for its voice.
            switch message {
            case .synthesize(let voice, _, _), .phonemes(let voice, _, _): engine.preload(voice: voice)
            }
            return inFreshChild(id: frame.id, out: out) { handle(message, id: frame.id, engine: engine, out: out) }
        }
    }

    /// Runs `body` in a child forked from this worker, whose engine state is the same for every request.
    ///
    /// eSpeak carries state from one synthesis to the next (filters, echo, random numbers), so a reused engine gives
    /// different samples for the same text. A child of the untouched engine gives the same samples every time, on
    /// any worker: after a crash, another worker can go on from the exact sample where the stream stopped. The
    /// child writes the answer itself; a child that dies of a signal makes this worker die of it too, so the daemon
    /// sees the crash as before. Forking costs well under a millisecond beside a synthesis.
    private static func inFreshChild(id: UInt64, out: FrameWriter, _ body: () -> Bool) -> Bool {
        let child = qari_fork_engine_child()
        if child == 0 {
            _exit(body() ? 0 : stdoutGone)
        }
        guard child > 0 else {
            return out.fail(id, "the speech worker could not start a process for this request (errno \(errno))")
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            guard errno == EINTR else { return out.fail(id, "the speech worker lost its request process") }
        }
        let signalNumber = status & 0x7f
        if signalNumber != 0 {
            signal(signalNumber, SIG_DFL)
            raise(signalNumber)
            _exit(128 + signalNumber)
        }
        return (status >> 8) & 0xff != stdoutGone
    }

    /// The exit status of a request process that found the daemon gone.
    private static let stdoutGone: Int32 = 3

    /// Serves one request; false when stdout is gone.
    private static func handle(_ message: SpeechRequestMessage, id: UInt64, engine: SpeechEngine, out: FrameWriter)
        -> Bool
    {
        switch message {
        case .synthesize(let voice, let options, let text):
            var pending: [Int16] = []
            var pendingMarks: [EngineMark] = []
            var sentFirst = false
            var ok = true
            func flush() {
                if !pendingMarks.isEmpty {
                    ok = ok && out.send(SpeechAnswer.marks(pendingMarks).frame(id: id))
                    pendingMarks.removeAll(keepingCapacity: true)
                }
                if !pending.isEmpty {
                    ok = ok && out.send(SpeechAnswer.audio(pending).frame(id: id))
                    pending.removeAll(keepingCapacity: true)
                }
            }
            do {
                let total = try engine.synthesize(text: text, voice: voice, options: options) { samples, marks in
                    pendingMarks.append(contentsOf: marks)
                    pending.append(contentsOf: samples)
                    if !sentFirst && !pending.isEmpty || pending.count >= flushSamples {
                        sentFirst = true
                        flush()
                    }
                }
                flush()
                return ok && out.send(SpeechAnswer.end(samples: total).frame(id: id))
            } catch {
                return out.fail(id, "\(error)")
            }
        case .phonemes(let voice, let ipa, let text):
            do {
                let result = try engine.phonemes(text: text, voice: voice, ipa: ipa)
                return out.send(SpeechAnswer.phonemes(result).frame(id: id))
            } catch {
                return out.fail(id, "\(error)")
            }
        }
    }
}

/// The daemon's process-wide memory settings.
public enum ProcessMemory {
    /// Caps glibc's malloc arenas: every worker restart starts a reader thread, and with glibc's default (eight
    /// arenas a core) the daemon's memory grew with restarts as freed memory stayed in ever more arenas.
    public static func limitArenas(_ arenas: Int32) {
        qari_limit_malloc_arenas(arenas)
    }
}
