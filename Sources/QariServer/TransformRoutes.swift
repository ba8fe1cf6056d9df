import Hummingbird
import QariPage
import QariReading

/// `POST /v1/transform?mode=contrast,large` (page HTML in, transformed page out) and `GET /v1/transform.css`.
struct TransformRoutes: Sendable {
    let pages: PageService
    let configuration: ServerConfiguration

    func add(to groups: RouteGroups) {
        groups.on(.transform) { request, context in try await transform(request, context) }
        groups.on(.transformCSS) { request, _ in
            let modes = try DisplayTransform.Modes.parse(Self.specs(request))
            // scope=live: for the reader button on the live page (a cascade layer, no root font size).
            let scope = request.uri.queryParameters.get("scope") ?? "page"
            guard scope == "page" || scope == "live" else {
                throw Problem(
                    .badRequest, code: "unknown-scope", title: "Unknown scope",
                    detail: "scope \"\(scope)\" is not page or live")
            }
            let live = scope == "live"
            let css = live ? DisplayTransform.liveStylesheet(modes) : DisplayTransform.stylesheet(modes)
            return Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: css)))
        }
    }

    static func specs(_ request: Request) -> [String] {
        request.uri.queryParameters.getAll("mode").map { String($0) }
    }

    func transform(_ request: Request, _ context: QariContext) async throws -> Response {
        // Refused here, before the page is read; the worker applies the same specs.
        let specs = Self.specs(request)
        _ = try DisplayTransform.Modes.parse(specs)
        let contentType = (request.headers[.contentType] ?? "text/html").lowercased()
        guard isHTML(contentType) else { throw Problem.notAPage(contentType, json: false) }
        let limit = configuration.page.maxBytes
        let buffer = try await collectBody(request, upTo: limit, tooLarge: Problem.pageTooLarge(limit: limit))
        guard buffer.readableBytesView.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            throw Problem(.badRequest, code: "empty-page", title: "No page", detail: "the page is empty")
        }
        let html = try await pages.transform(
            bytes: Array(buffer.readableBytesView), charset: charset(contentType), modes: specs)
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
