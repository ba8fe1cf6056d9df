import Foundation
import Hummingbird
import QariReading

/// The reader-button widget (`Public/`) under `/widget/`, and the demo at `/`: the sample pages with the widget in.
struct WidgetRoutes: Sendable {
    let configuration: ServerConfiguration

    /// A file served as it is, with a validator.
    struct StaticFile: Sendable {
        var bytes: [UInt8]
        var type: String
        var etag: String
    }

    static let types = [
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "html": "text/html; charset=utf-8",
        "png": "image/png", "svg": "image/svg+xml",
    ]

    /// A file name of ours: letters, digits, dashes, one dot and a known extension (no paths, no traversal).
    static func fileName(_ name: String) -> (String, String)? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty,
            parts[0].utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }),
            let type = types[String(parts[1])]
        else { return nil }
        return (name, type)
    }

    static func load(_ folder: String?, _ name: String) -> StaticFile? {
        guard let folder, let (file, type) = fileName(name),
            let data = FileManager.default.contents(atPath: folder + "/" + file)
        else { return nil }
        let bytes = Array(data)
        return StaticFile(bytes: bytes, type: type, etag: "\"" + ContentHash.sha256(bytes).prefix(32) + "\"")
    }

    /// The reader button's script: the ES modules `qari/*.js` under the widget folder joined once
    /// (`WidgetBundle`); nil without them. Modules that do not join stop the daemon at start, saying why.
    static func joinedScript(_ folder: String?) -> StaticFile? {
        guard let folder else { return nil }
        let bytes: [UInt8]
        do {
            guard let joined = try WidgetBundle.script(folder + "/qari") else { return nil }
            bytes = joined
        } catch {
            fatalError("the reader button's modules in \(folder)/qari do not join: \(error)")
        }
        return StaticFile(
            bytes: bytes, type: types["js"]!, etag: "\"" + ContentHash.sha256(bytes).prefix(32) + "\"")
    }

    func add(to groups: RouteGroups) {
        let widget = configuration.widgetDirectory
        let script = Self.joinedScript(widget)
        let demo = configuration.demoDirectory
        groups.on(.widgetFile) { request, context in
            let name = context.parameters.get("file") ?? ""
            if name == "qari.js", let script {
                return Self.answer(script, request: request, cache: "public, max-age=300")
            }
            guard let file = Self.load(widget, name) else { throw Self.notFound(name, in: "/widget/") }
            return Self.answer(file, request: request, cache: "public, max-age=300")
        }
        groups.on(.demoIndex) { request, _ in
            guard let demo else { throw Self.notFound("/", in: "/") }
            let pages = ((try? FileManager.default.contentsOfDirectory(atPath: demo)) ?? [])
                .filter { $0.hasSuffix(".html") }.sorted()
            var html = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Qari: the reader button</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <script src="widget/qari.js" defer blocking="render"></script></head><body><main>
                <h1>Qari (قارئ): the reader button</h1>
                <p>Open a sample page and press <strong>Listen</strong> (Écouter, استمع, ⵙⴼⵍⴷ).</p><ul>
                """
            for page in pages {
                html += "<li><a href=\"demo/\(page)\">\(page.dropLast(5))</a></li>"
            }
            html += "</ul></main></body></html>"
            return Self.answer(
                StaticFile(bytes: Array(html.utf8), type: "text/html; charset=utf-8", etag: ""), request: request,
                cache: "no-store")
        }
        groups.on(.demoFile) { request, context in
            let name = context.parameters.get("file") ?? ""
            guard var file = Self.load(demo, name) else { throw Self.notFound(name, in: "/demo/") }
            if name.hasSuffix(".html") { file.bytes = Self.embed(file.bytes) }
            var response = Self.answer(file, request: request, cache: "no-store")
            if name.hasSuffix(".html") {
                // Scripts only from here, as a portal with a strict policy would say.
                response.headers[.contentSecurityPolicy] =
                    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
            }
            return response
        }
    }

    /// The page with the widget's one tag at the end of its `<head>`.
    static func embed(_ bytes: [UInt8]) -> [UInt8] {
        let html = String(decoding: bytes, as: UTF8.self)
        let tag = "<script src=\"/widget/qari.js\" defer blocking=\"render\"></script>\n"
        guard let head = html.range(of: "</head>", options: .caseInsensitive) else { return Array((tag + html).utf8) }
        return Array((html[..<head.lowerBound] + tag + html[head.lowerBound...]).utf8)
    }

    static func answer(_ file: StaticFile, request: Request, cache: String) -> Response {
        var headers: HTTPFields = [.contentType: file.type, .cacheControl: cache, .xContentTypeOptions: "nosniff"]
        if !file.etag.isEmpty {
            headers[.eTag] = file.etag
            if request.headers[.ifNoneMatch] == file.etag { return Response(status: .notModified, headers: headers) }
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    static func notFound(_ name: String, in folder: String) -> Problem {
        Problem(.notFound, code: "not-found", title: "Not Found", detail: "no file \(name) under \(folder)")
    }
}
