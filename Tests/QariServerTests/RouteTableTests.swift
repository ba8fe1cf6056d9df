import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import QariReading
import QariSpeech
import QariTestSupport
import QariWorkers
import Testing

@testable import QariServer

/// Routes are declared once (`Route`): the router holds exactly them, `openapi.json` lists exactly them, and a path
/// no route declares is a 404 of no class. In memory (HummingbirdTesting's `.router`): no worker is started.
@Suite struct RouteTableTests {
    static func router(_ change: (inout ServerConfiguration) -> Void = { _ in }) -> Router<QariContext> {
        var configuration = AccessTests.configuration()
        change(&configuration)
        let pages = PageService(
            pool: PageWorker.pool(configuration.pagePool, logger: Logger(label: "t")), options: configuration.page)
        let readings = Readings(
            speaker: Speaker(pool: WorkerPool.speech(configuration.pool)), pages: pages, store: nil,
            versions: ReadingVersions(engine: "t", voices: "t", diacritizer: "none"))
        return buildRouter(readings: readings, configuration: configuration)
    }

    /// `{id}` for Hummingbird's `:id`.
    static func openAPIForm(_ path: String) -> String {
        "/"
            + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    @Test func theRouterAndOpenAPIHoldExactlyTheDeclaredRoutes() throws {
        let registered = Set(Self.router().routes.map { "\($0.method) \(Self.openAPIForm($0.path.description))" })
        let declared = Set(Route.allCases.flatMap { r in r.methods.map { "\($0) \(r.rawValue)" } })
        // The router answers HEAD wherever GET is, in the same group, and every other method with 405 (or a
        // preflight's answer) beside them.
        let answered = Set(
            Route.allCases.flatMap { r in RouteGroups.answered.map { "\($0) \(r.rawValue)" } })
        #expect(
            registered == answered,
            "only registered: \(registered.subtracting(answered)); only declared: \(answered.subtracting(registered))")
        let document =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Support.repoDir.appendingPathComponent("openapi.json"))) as? [String: Any] ?? [:]
        let verbs: Set<String> = ["get", "post", "put", "delete", "patch", "head", "options"]
        var listed = Set<String>()
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys where verbs.contains(method) { listed.insert("\(method.uppercased()) \(path)") }
        }
        #expect(
            listed == declared,
            "only in openapi.json: \(listed.subtracting(declared)); only declared: \(declared.subtracting(listed))")
    }

    /// The router alone matches paths: a declared path answers a method it does not take with 405 and `Allow`, a
    /// parameter standing for one non-empty segment; any other path is a 404.
    @Test func theRouterAloneTellsDeclaredPathsFromOthers() async throws {
        let declared: [(String, Route)] = [
            ("/v1/speech", .speech), ("/v1/readings/abc", .reading), ("/v1/readings/abc/audio.ogg", .readingFile),
            ("/widget/qari.js", .widgetFile), ("/", .demoIndex), ("/demo/a.html", .demoFile), ("/health", .health),
        ]
        let others = ["/nope", "/v1/readings/a/b/c", "/widget/a/b", "/v1/speechx"]
        try await Application(router: Self.router()).test(.router) { client in
            for (path, route) in declared {
                let answer = try await client.execute(uri: path, method: .delete)
                #expect(answer.status == .methodNotAllowed, "\(path)")
                #expect(answer.headers[.allow] == route.allowed.map(\.rawValue).joined(separator: ", "), "\(path)")
            }
            for path in others {
                #expect(try await client.execute(uri: path, method: .delete).status == .notFound, "\(path)")
            }
            // A method Qari does not know at all, on any path: 501, no path matched for it.
            for path in ["/v1/speech", "/nope"] {
                let unknown = try await client.execute(uri: path, method: HTTPRequest.Method("PROPFIND")!)
                #expect(unknown.status == .notImplemented, "\(path)")
            }
        }
    }

    @Test func anUndeclaredPathIsA404UnderNoClasssRules() async throws {
        // One request a minute for the widget's routes: an unknown path must not spend it, nor get CORS.
        let router = Self.router {
            $0.access.requestsPerMinute = 1
            $0.access.requestsBurst = 1
        }
        try await Application(router: router).test(.router) { client in
            for _ in 0..<3 {
                let unknown = try await client.execute(
                    uri: "/wp-admin/setup.php", method: .get, headers: [.origin: "https://portal.example"])
                #expect(unknown.status == .notFound)
                #expect(unknown.headers[.contentType] == "application/problem+json")
                #expect(unknown.headers[.accessControlAllowOrigin] == nil)
            }
            let widget = try await client.execute(
                uri: "/v1/voices", method: .get, headers: [.origin: "https://portal.example"])
            #expect(widget.status == .ok)
            #expect(widget.headers[.accessControlAllowOrigin] == "https://portal.example")
            #expect(try await client.execute(uri: "/v1/voices", method: .get).status == .tooManyRequests)
            // The operators' routes are under no limit.
            #expect(try await client.execute(uri: "/openapi.json", method: .get).status == .ok)
        }
    }

    @Test func eachGroupCarriesItsClasssRules() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            // Portal: a key; widget and operator routes: none.
            let portal = try await client.execute(uri: "/v1/transform", method: .post)
            #expect(portal.status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/voices", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/openapi.json", method: .get).status == .ok)
            // A declared path with a method it does not take: 405 and what it takes.
            let put = try await client.execute(uri: "/v1/voices", method: .put)
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "GET, HEAD")
        }
    }
}
