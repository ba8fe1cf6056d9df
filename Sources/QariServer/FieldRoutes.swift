import Foundation
import Hummingbird
import QariPage
import QariReading
import QariText

/// `POST /v1/fields`: a fragment of a page (a field added by script, an error summary) in, its fields' descriptions
/// out, without reading the page again. What is sent may hold what a citizen typed: it is answered and forgotten
/// (no cache, no store, no log), as a private reading is.
struct FieldRoutes: Sendable {
    let pages: PageService
    let configuration: ServerConfiguration

    /// The JSON body: the fragment and the language of the page it comes from.
    struct Body: Decodable {
        var html: String?
        var lang: String?
    }

    /// The answer: the fragment's language and its fields.
    struct Document: ResponseEncodable {
        var lang: String
        var fields: [PlanField]
    }

    func add(to groups: RouteGroups) {
        groups.on(.fields) { request, _ in try await fields(request) }
    }

    func fields(_ request: Request) async throws -> Response {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        guard contentType.hasPrefix("application/json") else {
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type", title: "Not a fragment",
                detail: "send the fragment as application/json {\"html\", \"lang\"}; got \(contentType)")
        }
        let limit = configuration.page.maxBytes
        // JSON escaping can double a fragment's size.
        let buffer = try await collectBody(
            request, upTo: limit * 2 + 4096, tooLarge: Problem.pageTooLarge(limit: limit, bodyLimit: limit * 2 + 4096))
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
        } catch {
            throw Problem.invalidJSON(error, expected: "{\"html\", \"lang\"?}")
        }
        guard let html = body.html, !html.allSatisfy(\.isWhitespace) else {
            throw Problem(.badRequest, code: "empty-page", title: "No fragment", detail: "\"html\" is missing or empty")
        }
        let lang = body.lang ?? "fr"
        guard Self.isLanguageTag(lang) else {
            throw Problem(
                .badRequest, code: "bad-lang", title: "Not a language tag",
                detail: "\"lang\" is a language tag (fr, ar, zgh, ar-MA), not \"\(lang.prefix(40))\"")
        }
        let fields = try await pages.fields(bytes: Array(html.utf8), lang: lang)
        let primary = Languages.primary(lang)
        return try jsonResponse(
            Document(lang: primary, fields: PlanField.items(fields, pageLang: primary)),
            headers: [.cacheControl: "no-store, private"])
    }

    /// A BCP 47 tag's shape: letters, then subtags of letters and digits, each at most 8 long.
    static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        return parts.dropFirst().allSatisfy { p in
            (1...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}
