import Hummingbird
import Synchronization

extension Response {
    /// The largest body of known length passed on as it is (see `whenWritten`).
    static let wholeBodyLimit = 64 << 10

    /// This response, `done` called once its body is written (with the error that cut it, if one did, and the
    /// bytes of body written).
    ///
    /// A small body of known length (JSON, problems, marks) is in memory: `done` is called now and the body passed
    /// on untouched, so Hummingbird sends head and body in one write. Wrapped, the head went first, and a daemon
    /// killed before the body left a proxy with a response it could neither finish nor retry on another daemon.
    func whenWritten(_ done: @escaping @Sendable ((any Error)?, Int) -> Void) -> Response {
        if let length = body.contentLength, length <= Self.wholeBodyLimit {
            done(nil, length)
            return self
        }
        var response = self
        let body = self.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            let count = ByteCount()
            let counting: any ResponseBodyWriter = CountingWriter(inner: writer, count: count)
            var failure: (any Error)?
            do { try await body.write(counting) } catch { failure = error }
            done(failure, count.value.withLock { $0 })
            if let failure { throw failure }
        }
        return response
    }
}

/// Passes a body on and counts its bytes, for the request log.
private struct CountingWriter: ResponseBodyWriter {
    var inner: any ResponseBodyWriter
    let count: ByteCount

    mutating func write(_ buffer: ByteBuffer) async throws {
        count.value.withLock { $0 += buffer.readableBytes }
        try await inner.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await inner.finish(trailingHeaders)
    }
}

/// The bytes a body has written so far.
private final class ByteCount: Sendable {
    let value = Mutex(0)
}
