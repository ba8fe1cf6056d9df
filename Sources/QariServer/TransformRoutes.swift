import Foundation
import Hummingbird
import QariPage

/// `POST /v1/transform?mode=contrast,large` (page HTML in, transformed page out) and `GET /v1/transform.css`.
struct TransformRoutes: Sendable {
    let pages: PageService
    let configuration: ServerConfiguration

    func add(to router: Router<BasicRequestContext>) {
        router.post("v1/transform") { request, context in try await transform(request, context) }
        router.get("v1/transform.css") { request, _ in
            let modes = try Self.modes(request)
            return Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: DisplayTransform.stylesheet(modes))))
        }
    }

    static func specs(_ request: Request) -> [String] {
        request.uri.queryParameters.getAll("mode").map { String($0) }
    }

    static func modes(_ request: Request) throws -> DisplayTransform.Modes {
        do throws(DisplayTransform.TransformError) {
            return try DisplayTransform.Modes.parse(specs(request))
        } catch {
            throw Problem(.badRequest, code: "unknown-mode", title: "Unknown display mode", detail: error.description)
        }
    }

    func transform(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        // Refused here, before the page is read; the worker applies the same specs.
        _ = try Self.modes(request)
        let contentType = (request.headers[.contentType] ?? "text/html").lowercased()
        guard contentType.hasPrefix("text/html") || contentType.hasPrefix("application/xhtml+xml") else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", title: "Not a page",
                detail: "send the page as text/html; got \(contentType)")
        }
        let limit = configuration.page.maxBytes
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Problem(
                .contentTooLarge, code: "page-too-large", title: "Page too large",
                detail: "the page is larger than \(limit) bytes")
        }
        let html = try await pages.transform(
            bytes: Array(buffer.readableBytesView), charset: ReadRoutes.charset(contentType), modes: Self.specs(request)
        )
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
