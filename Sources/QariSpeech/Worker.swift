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
            do {
                return handle(try SpeechRequestMessage.decode(frame), id: frame.id, engine: engine, out: out)
            } catch {
                return out.fail(frame.id, "\(error)")
            }
        }
    }

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
