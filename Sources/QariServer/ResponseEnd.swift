import Hummingbird

extension Response {
    /// The largest body of known length passed on as it is (see `whenWritten`).
    static let wholeBodyLimit = 64 << 10

    /// This response, `done` called once its body is written (with the error that cut it, if one did).
    ///
    /// A small body of known length (JSON, problems, marks) is in memory: `done` is called now and the body passed
    /// on untouched, so Hummingbird sends head and body in one write. Wrapped, the head went first, and a daemon
    /// killed before the body left a proxy with a response it could neither finish nor retry on another daemon.
    func whenWritten(_ done: @escaping @Sendable ((any Error)?) -> Void) -> Response {
        if let length = body.contentLength, length <= Self.wholeBodyLimit {
            done(nil)
            return self
        }
        var response = self
        let body = self.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            var failure: (any Error)?
            do { try await body.write(writer) } catch { failure = error }
            done(failure)
            if let failure { throw failure }
        }
        return response
    }
}
