import QariPage
import QariReading
import QariSpeech
import QariWorkers

/// Settings of the Qari daemon.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Worker pool settings.
    public var pool: WorkerPoolConfiguration
    /// The longest text, in characters, a speech request may carry.
    public var maxTextLength: Int
    /// The Arabic diacritizer worker; nil speaks Arabic without restored vowels.
    public var diacritizer: DiacritizerLocation?
    /// Diacritizer worker processes.
    public var diacritizerWorkers: Int
    /// Page reading: size and time limits, the reading-area selector.
    public var page: PageOptions
    /// The `qari page-worker` processes that parse pages (libgumbo) for reading and transforms.
    public var pagePool: WorkerPoolConfiguration

    public init(
        host: String = "127.0.0.1", port: Int = 8470, pool: WorkerPoolConfiguration = .speech(),
        maxTextLength: Int = 100_000, diacritizer: DiacritizerLocation? = .find(), diacritizerWorkers: Int = 1,
        page: PageOptions = .init(),
        pagePool: WorkerPoolConfiguration = .pages()
    ) {
        self.page = page
        self.pagePool = pagePool
        self.host = host
        self.port = port
        self.pool = pool
        self.maxTextLength = maxTextLength
        self.diacritizer = diacritizer
        self.diacritizerWorkers = diacritizerWorkers
    }

    /// Bytes a request body may have: room for the longest text with every character JSON-escaped.
    var maxBodyBytes: Int { max(1 << 20, maxTextLength * 12 + 65536) }
}
