import Hummingbird
import Logging

/// The first middleware: gives the request its id and client, and, once the answer is written, counts it in the
/// metrics and logs its one line (at debug level, one more when it arrives).
struct RequestLog: RouterMiddleware {
    typealias Context = QariContext
    let identity: RequestIdentity
    let metrics: QariMetrics?
    let logger: Logger

    func handle(
        _ request: Request, context: QariContext, next: (Request, QariContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        context.requestID = RequestIdentity.requestID(request.headers[.xRequestID])
        context.client = identity.client(of: request, peer: context.remoteAddress?.ipAddress)
        // At debug level, the moment a request arrives (its id and method: never its path, which may carry text).
        logger.debug(
            "request started", metadata: ["request_id": "\(context.requestID)", "method": "\(request.method)"])
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // `ProblemMiddleware` answers every error; this is the last resort.
            let problem = Problem(error)
            if problem.status == .internalServerError {
                logger.error("internal error", metadata: ["request_id": "\(context.requestID)", "error": "\(error)"])
            }
            response = problem.response()
        }
        response.headers[.xRequestID] = context.requestID
        // The router names the route it matched; a path it matched to no route is "unmatched".
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let status = Int(response.status.code)
        let method = request.method.rawValue
        let (id, client, metrics, logger) = (context.requestID, context.client, self.metrics, self.logger)
        // Counted and logged once the body is written: a streamed reading's time is the whole stream's.
        return response.whenWritten { failure, bytes in
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            metrics?.request(route: route, method: method, status: status, seconds: seconds)
            var fields: Logger.Metadata = [
                "request_id": "\(id)", "method": "\(method)", "route": "\(route)", "status": "\(status)",
                "ms": "\(Int(seconds * 1000))", "bytes": "\(bytes)", "client": "\(client)",
                "outcome": "\(failure == nil ? "complete" : "cut")",
            ]
            // What cut it, by kind alone: an error's text might quote what was being read.
            if let failure { fields["cause"] = "\(type(of: failure))" }
            logger.info("request", metadata: fields)
        }
    }
}
