import Glibc

/// The main loop of a `qari worker` process: one engine, requests read from stdin, frames written to stdout.
public enum SpeechWorker {
    /// Audio is flushed to the daemon once this many samples are buffered (the first chunk leaves at once).
    static let flushSamples = 8192

    /// Runs until stdin closes; returns the process exit status.
    public static func run(dataPath: String?, input: Int32 = 0, output: Int32 = 1) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
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
        let out = FrameWriter(fd: output)
        guard out.send(.ready(sampleRate: engine.sampleRate, pid: getpid())) else { return 1 }
        return serveFrames(input: input, label: "qari worker") { handle($0, engine: engine, out: out) }
    }

    /// Serves one request; false when stdout is gone.
    private static func handle(_ message: WorkerMessage, engine: SpeechEngine, out: FrameWriter) -> Bool {
        switch message {
        case .synthesize(let id, let voice, let options, let text):
            var pending: [Int16] = []
            var pendingMarks: [EngineMark] = []
            var sentFirst = false
            var ok = true
            func flush() {
                if !pendingMarks.isEmpty {
                    ok = ok && out.send(.marks(id: id, marks: pendingMarks))
                    pendingMarks.removeAll(keepingCapacity: true)
                }
                if !pending.isEmpty {
                    ok = ok && out.send(.audio(id: id, samples: pending))
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
                return ok && out.send(.end(id: id, samples: total))
            } catch {
                return out.send(.failure(id: id, message: "\(error)"))
            }
        case .phonemes(let id, let voice, let ipa, let text):
            do {
                let result = try engine.phonemes(text: text, voice: voice, ipa: ipa)
                return out.send(.phonemesResult(id: id, text: result))
            } catch {
                return out.send(.failure(id: id, message: "\(error)"))
            }
        default:
            return out.send(.failure(id: 0, message: "a worker accepts only synthesize and phonemes requests"))
        }
    }
}

/// The main loop of a worker process that answers each request with one message (`qari page-worker`).
public enum RequestWorker {
    /// Sends `ready`, then answers every request read from stdin with `handle`'s message until stdin closes.
    public static func run(input: Int32 = 0, output: Int32 = 1, handle: (WorkerMessage) -> WorkerMessage) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let out = FrameWriter(fd: output)
        guard out.send(.ready(sampleRate: 0, pid: getpid())) else { return 1 }
        return serveFrames(input: input, label: "qari page-worker") { out.send(handle($0)) }
    }
}

/// Reads frames from `input` until it closes, handing each message to `handle` (false: stdout is gone).
func serveFrames(input: Int32, label: String, handle: (WorkerMessage) -> Bool) -> Int32 {
    var decoder = FrameDecoder()
    var readBuffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = readBuffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if n == 0 { return 0 }
        if n < 0 {
            if errno == EINTR { continue }
            return 1
        }
        readBuffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        do {
            while let message = try decoder.next() {
                guard handle(message) else { return 1 }
            }
        } catch {
            writeStderr("\(label): \(error)\n")
            return 2
        }
    }
}

/// Writes whole frames to a file descriptor.
struct FrameWriter {
    let fd: Int32

    func send(_ message: WorkerMessage) -> Bool {
        writeAll(fd: fd, bytes: message.encoded())
    }
}

func writeAll(fd: Int32, bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buf in
        var offset = 0
        while offset < buf.count {
            let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

func writeStderr(_ s: String) {
    _ = writeAll(fd: 2, bytes: Array(s.utf8))
}
