/// Page work done in a `qari page-worker` process, so that a fault in the C parser costs one request, never the
/// daemon.
public enum PageWork {
    /// What to do with the page bytes sent along.
    public struct Job: Codable, Sendable, Equatable {
        public enum Operation: String, Codable, Sendable { case read, transform }

        public var operation: Operation
        public var charset: String?
        public var readSelector: String?
        public var maxBytes: Int
        public var timeLimitMilliseconds: Int
        public var maxDepth: Int
        /// Display mode specs (`contrast:dark`, `large:200`) for `transform`.
        public var modes: [String]

        public init(operation: Operation, charset: String?, options: PageOptions, modes: [String] = []) {
            self.operation = operation
            self.charset = charset
            readSelector = options.readSelector
            maxBytes = options.maxBytes
            timeLimitMilliseconds = options.timeLimitMilliseconds
            maxDepth = options.maxDepth
            self.modes = modes
        }

        var options: PageOptions {
            PageOptions(
                readSelector: readSelector, maxBytes: maxBytes, timeLimitMilliseconds: timeLimitMilliseconds,
                maxDepth: maxDepth)
        }
    }

    /// The answer: the page's content, the transformed page, or why neither.
    public struct Result: Codable, Sendable {
        public var content: PageContent?
        public var html: String?
        public var error: PageError?
        /// A display mode that does not parse.
        public var badMode: String?
    }

    /// Does `job` on the calling thread.
    public static func perform(_ job: Job, bytes: [UInt8]) -> Result {
        do throws(PageError) {
            let document = try PageReader.parseHere(bytes: bytes, charset: job.charset, options: job.options)
            switch job.operation {
            case .read:
                return Result(content: try PageReader.extract(document, options: job.options))
            case .transform:
                do throws(DisplayTransform.TransformError) {
                    let modes = try DisplayTransform.Modes.parse(job.modes)
                    return Result(html: DisplayTransform.transform(document, modes: modes))
                } catch {
                    return Result(badMode: error.description)
                }
            }
        } catch {
            return Result(error: error)
        }
    }
}
