import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QariServer
import QariTestSupport
import Testing

/// Forms through the API: a reading lists every field of its page, a fragment's fields are described on their
/// own, and what a citizen typed comes out nowhere, in no answer and in no file of the cache.
@Suite(.serialized) struct FieldRouteTests {
    static func sample(_ name: String) throws -> (html: String, expected: [String: Any]) {
        let folder = Support.samplesDir.appendingPathComponent("pages")
        let html = try String(contentsOf: folder.appendingPathComponent(name + ".html"), encoding: .utf8)
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent(name + ".expected.json")))
        return (html, expected as? [String: Any] ?? [:])
    }

    /// Every file under `folder`, as bytes.
    static func files(under folder: String) -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var out: [(String, Data)] = []
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) { out.append((name, data)) }
        }
        return out
    }

    /// The expected file's fields against the answer's: label, kind, required, hint, error, options and choice.
    static func expectFields(_ got: [[String: Any]], _ want: [[String: Any]], _ name: String) {
        #expect(got.map { $0["label"] as? String } == want.map { $0["label"] as? String }, "\(name)")
        for (g, w) in zip(got, want) {
            let what = "\(name): \(w["label"] ?? "")"
            for key in ["kind", "hint", "error", "legend"] {
                #expect(g[key] as? String == w[key] as? String, "\(what) \(key)")
            }
            #expect(g["required"] as? Bool == w["required"] as? Bool, "\(what)")
            #expect(g["checked"] as? Bool == w["checked"] as? Bool, "\(what)")
            let options = g["options"] as? [[String: Any]]
            #expect(options?.map { $0["label"] as? String ?? "" } == w["options"] as? [String], "\(what)")
            #expect(
                options?.filter { $0["chosen"] as? Bool == true }.map { $0["label"] as? String ?? "" }
                    == w["chosen"] as? [String], "\(what)")
            #expect((g["voice"] as? String)?.isEmpty == false && (g["text"] as? String)?.isEmpty == false)
            #expect((g["locator"] as? [String: Any])?["path"] as? [Int] != nil, "\(what)")
        }
    }

    @Test func theReadingOfEachSampleFormListsEveryFieldAndNoValue() async throws {
        var configuration = ServerTests.configuration()
        let cache = Support.temporaryFile("cache")
        configuration.cache = CacheConfiguration(directory: cache)
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let names = ["form-ar", "form-fr", "form-zgh"]
        let secrets = try names.flatMap { try Self.sample($0).expected["never"] as? [String] ?? [] }
        try await ServerTests.withApp(configuration) { client in
            for name in names {
                let (html, expected) = try Self.sample(name)
                let never = expected["never"] as? [String] ?? []
                let created = try await client.execute(
                    uri: "/v1/readings", method: .post, headers: [.contentType: "text/html; charset=utf-8"],
                    body: ByteBuffer(string: html))
                #expect(created.status == .ok)
                let reading = try ReadingTests.json(created)
                let id = try #require(reading["id"] as? String)
                Self.expectFields(
                    reading["fields"] as? [[String: Any]] ?? [], expected["fields"] as? [[String: Any]] ?? [], name)
                let again = try await client.execute(uri: "/v1/readings/\(id)", method: .get)
                #expect(String(buffer: again.body) == String(buffer: created.body))
                // Made and stored, so that the cache holds everything it will ever hold of the page.
                let audio = try await client.execute(uri: "/v1/readings/\(id)/audio.ogg", method: .get)
                #expect(audio.status == .ok)
                let marks = try await client.execute(uri: "/v1/readings/\(id)/marks.json", method: .get)
                for answer in [created, again, marks] {
                    let text = String(buffer: answer.body)
                    for secret in never { #expect(!text.contains(secret), "\(name): \(secret) in an answer") }
                }
            }
        }
        let files = Self.files(under: cache)
        #expect(files.contains { $0.0.hasSuffix("plan.json") }, "the readings were stored")
        // A store entry's `complete` lists SHA-256 digests in hex, where a value of four digits turns up by chance.
        for (file, data) in files where !file.hasSuffix("/complete") {
            for secret in secrets {
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(secret) in the cache's \(file)")
            }
        }
        // The search can find: what the forms do say is in the cache.
        #expect(files.contains { $0.1.range(of: Data("Commune de naissance".utf8)) != nil })
    }

    /// Waits for `condition`, checked every 50 ms, for at most a minute.
    static func eventually(_ what: String, _ condition: () async -> Bool) async throws {
        for _ in 0..<1200 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func eachFieldIsSpokenOnItsOwnAndKeptBesideItsReading() async throws {
        var configuration = ServerTests.configuration()
        let cache = Support.temporaryFile("cache")
        configuration.cache = CacheConfiguration(directory: cache)
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let (html, _) = try Self.sample("form-fr")
        try await ServerTests.withApp(configuration) { client in
            // A private reading's fields: spoken, never kept by a cache or written to a file.
            let privately = try await client.execute(
                uri: "/v1/readings", method: .post,
                headers: [.contentType: "text/html; charset=utf-8", HTTPField.Name("Qari-Privacy")!: "private"],
                body: ByteBuffer(string: html))
            let privateFields = try ReadingTests.json(privately)["fields"] as? [[String: Any]] ?? []
            for file in ["audio", "marks"] {
                let answer = try await client.execute(uri: privateFields[0][file] as? String ?? "", method: .get)
                #expect(answer.status == .ok && answer.headers[.cacheControl] == "no-store, private", "\(file)")
            }
            #expect(!Self.files(under: cache).contains { $0.1.range(of: Data("Vos informations".utf8)) != nil })

            let reading = try await ReadingTests.create(client, html)
            let id = try #require(reading["id"] as? String)
            let fields = reading["fields"] as? [[String: Any]] ?? []
            let date = fields[2]
            let text = Array((date["text"] as? String ?? "").unicodeScalars)
            #expect(date["audio"] as? String == "/v1/readings/\(id)/field-2.ogg")
            // Asked for before its reading is made: made now, on its own, its marks within its own text.
            let marks = try ReadingTests.json(
                try await client.execute(uri: date["marks"] as? String ?? "", method: .get))
            let duration = try #require(marks["duration_ms"] as? Int)
            let words = (marks["marks"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "word" }
            let spoken = words.compactMap { m -> String? in
                guard let o = m["offset"] as? Int, let n = m["length"] as? Int, m["passage"] as? Int == 0,
                    o >= 0, o + n <= text.count
                else { return nil }
                return String(String.UnicodeScalarView(text[o..<o + n]))
            }
            #expect(spoken.count == words.count && spoken.contains("naissance") && spoken.contains("obligatoire"))
            let audio = try await client.execute(uri: date["audio"] as? String ?? "", method: .get)
            #expect(audio.status == .ok && audio.headers[.contentType] == "audio/ogg")
            let seconds = try Support.decodedDuration(Data(buffer: audio.body), ext: "ogg")
            #expect(abs(seconds * 1000 - Double(duration)) < 200, "\(seconds) s against \(duration) ms")

            // Once the reading is made, its fields are made one after another and stored beside it.
            #expect(try await client.execute(uri: "/v1/readings/\(id)/audio.ogg", method: .get).status == .ok)
            let last = fields.count - 1
            try await Self.eventually("every field stored") {
                FileManager.default.fileExists(atPath: "\(cache)/\(id)/field-\(last).ogg")
            }
            let part = try await client.execute(
                uri: fields[last]["audio"] as? String ?? "", method: .get, headers: [.range: "bytes=0-9"])
            #expect(part.status == .partialContent && part.body.readableBytes == 10)
            #expect(part.headers[.cacheControl] == "public, max-age=31536000, immutable" && part.headers[.eTag] != nil)
            let stored = try await client.execute(uri: fields[last]["marks"] as? String ?? "", method: .get)
            let storedDuration = try ReadingTests.json(stored)["duration_ms"] as? Int ?? 0
            #expect(stored.status == .ok && storedDuration > 0)
            for file in ["field-\(fields.count).ogg", "field-\(fields.count).json", "field-01.ogg", "field-x.ogg"] {
                let missing = try await client.execute(uri: "/v1/readings/\(id)/\(file)", method: .get)
                _ = try ServerTests.expectProblem(missing, .notFound, "not-found")
            }
        }
    }

    @Test func aFragmentsFieldsAreDescribedAndKeptNowhere() async throws {
        var configuration = ServerTests.configuration()
        let cache = Support.temporaryFile("cache")
        configuration.cache = CacheConfiguration(directory: cache)
        defer { try? FileManager.default.removeItem(atPath: cache) }
        try await ServerTests.withApp(configuration) { client in
            let fragment = """
                <div role=alert id=resume>Le formulaire contient une erreur.</div>
                <label for=code>Code de confirmation</label>
                <input id=code type=password value="Fragment-Secret-77" aria-invalid=true aria-errormessage=faux>
                <p id=faux>Le code est faux.</p>
                <label>Commentaire <textarea>Texte-Tape-Fragment</textarea></label>
                """
            let response = try await client.execute(
                uri: "/v1/fields", method: .post, headers: [.contentType: "application/json"],
                body: ServerTests.json(["html": fragment, "lang": "fr"]))
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store, private")
            let text = String(buffer: response.body)
            #expect(!text.contains("Fragment-Secret-77") && !text.contains("Texte-Tape-Fragment"))
            let fields = try ReadingTests.json(response)["fields"] as? [[String: Any]] ?? []
            #expect(fields.map { $0["label"] as? String } == ["Code de confirmation", "Commentaire"])
            #expect(
                fields.first?["text"] as? String
                    == "Code de confirmation, champ de mot de passe. Erreur : Le code est faux.")
            #expect(fields.allSatisfy { $0["voice"] as? String == "fr" })

            let arabic = try await client.execute(
                uri: "/v1/fields", method: .post, headers: [.contentType: "application/json"],
                body: ServerTests.json(["html": "<label>الاسم <input required></label>", "lang": "ar-MA"]))
            let field = (try ReadingTests.json(arabic)["fields"] as? [[String: Any]])?.first
            #expect(field?["text"] as? String == "الاسم، حقل نص، إجباري." && field?["voice"] as? String == "ar")

            let none = try await client.execute(
                uri: "/v1/fields", method: .post, headers: [.contentType: "application/json"],
                body: ServerTests.json(["html": "<p>Aucun champ ici.</p>"]))
            let noFields = try ReadingTests.json(none)["fields"] as? [Any]
            #expect(none.status == .ok && noFields?.isEmpty == true)

            // Refused precisely: not JSON, no fragment, a language that is not a tag.
            let html = try await client.execute(
                uri: "/v1/fields", method: .post, headers: [.contentType: "text/html"],
                body: ByteBuffer(string: fragment))
            _ = try ServerTests.expectProblem(html, .unsupportedMediaType, "unsupported-media-type")
            let empty = try await client.execute(
                uri: "/v1/fields", method: .post, headers: [.contentType: "application/json"],
                body: ServerTests.json(["lang": "fr"]))
            _ = try ServerTests.expectProblem(empty, .badRequest, "empty-page")
            let badLang = try await client.execute(
                uri: "/v1/fields", method: .post, headers: [.contentType: "application/json"],
                body: ServerTests.json(["html": fragment, "lang": "fr; DROP"]))
            _ = try ServerTests.expectProblem(badLang, .badRequest, "bad-lang")
        }
        for (file, data) in Self.files(under: cache) {
            #expect(data.range(of: Data("Code de confirmation".utf8)) == nil, "the fragment in the cache's \(file)")
        }
    }

    @Test func aPageOfTwoThousandFieldsWithBrokenLabelsIsReadWithinTheLimits() async throws {
        let page = Support.brokenFormPage(typed: true)
        try await ServerTests.withApp { client in
            let response = try await client.execute(
                uri: "/v1/readings", method: .post, headers: [.contentType: "text/html; charset=utf-8"],
                body: ByteBuffer(string: page))
            #expect(response.status == .ok)
            let fields = try ReadingTests.json(response)["fields"] as? [[String: Any]] ?? []
            #expect(fields.count == 2000)
            #expect(fields.last?["label"] as? String == "Numéro 1999")
            #expect(!String(buffer: response.body).contains("tape-"))
        }
    }
}
