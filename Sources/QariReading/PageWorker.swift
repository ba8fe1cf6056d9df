import Foundation
import Logging
import QariPage
import QariSpeech
import QariWorkers

/// The frame kinds of a `qari page-worker` process.
public enum PageFrameKind: UInt8, FrameKindTable {
    case request = 4
    /// Any answer but a page's content, as JSON.
    case result = 17
    /// A page's content, in binary (`PageContent.write(to:)`).
    case content = 18
}

/// The `qari page-worker` process: libgumbo parses untrusted HTML in C, so it runs there, where a fault costs one
/// request.
public enum PageWorker {
    static let requestKind = PageFrameKind.request.rawValue
    static let resultKind = PageFrameKind.result.rawValue
    static let contentKind = PageFrameKind.content.rawValue

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
            let result = job.perform(bytes: bytes)
            if case .content(let content) = result {
                var w = ByteWriter()
                guard (try? content.write(to: &w)) != nil else {
                    return out.fail(frame.id, "the page content could not be encoded")
                }
                return out.send(Frame(kind: contentKind, id: frame.id, body: w.bytes))
            }
            guard let data = try? encoder.encode(result) else {
                return out.fail(frame.id, "the page result could not be encoded")
            }
            return out.send(Frame(kind: resultKind, id: frame.id, body: Array(data)))
        }
    }

    /// A pool of page workers.
    public static func pool(_ configuration: WorkerPoolConfiguration = .pages(), logger: Logger) -> WorkerPool {
        WorkerPool(name: "pages", configuration: configuration, answerEnds: [resultKind, contentKind], logger: logger)
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
