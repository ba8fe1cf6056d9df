import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import QariReading
import QariServer
import QariSpeech
import QariTestSupport
import QariWorkers
import Testing

/// The daemon's routes, in memory (HummingbirdTesting's `.router`) unless a test needs a real socket.
@Suite(.serialized) struct ServerTests {
    static func configuration(
        workers: Int = 2, queueLimit: Int = 16, maxText: Int = 100_000, command: WorkerCommand? = nil
    ) -> ServerConfiguration {
        var c = ServerConfiguration(
            host: "127.0.0.1", port: 0,
            pool: .speech(
                workers: workers, queueLimit: queueLimit, requestTimeout: .seconds(60),
                command: command ?? Support.workerCommand()),
            maxTextLength: maxText,
            pagePool: .pages(workers: 1, queueLimit: 16, command: Support.pageWorkerCommand()),
            cache: CacheConfiguration(directory: Support.temporaryFile("cache")))
        c.reports = ReportsConfiguration(path: Support.temporaryFile("reports") + "/reports.sqlite")
        return c
    }

    /// The whole daemon, its worker pools running, through `setup`: `.router` (in memory) unless the test needs a
    /// socket (`.live`: the peer's address, connection limits).
    static func withApp(
        _ configuration: ServerConfiguration = Self.configuration(), _ setup: TestingSetup = .router,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = try await buildApplication(configuration: configuration)
        try await app.test(setup, body)
    }

    static func json(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    /// Asserts a problem response with this status and code.
    static func expectProblem(
        _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
        #expect(object["type"] as? String == "urn:qari:problem:\(code)", sourceLocation: sourceLocation)
        #expect(object["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect((object["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        return object
    }

    static func decodedSeconds(_ body: ByteBuffer, ext: String) throws -> Double {
        try Support.decodedDuration(Data(buffer: body), ext: ext)
    }

    @Test(arguments: [("wav", "audio/wav"), ("ogg", "audio/ogg"), ("mp3", "audio/mpeg")])
    func speechComesInEachFormat(_ format: String, _ mime: String) async throws {
        try await Self.withApp { client in
            let text = "Bonjour. Votre demande a bien été reçue."
            let marks = try await client.execute(
                uri: "/v1/speech/marks", method: .post, body: Self.json(["text": text, "voice": "fr"]))
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: marks.body)) as! [String: Any]
            let durationMs = doc["duration_ms"] as! Int
            let response = try await client.execute(
                uri: "/v1/speech", method: .post, body: Self.json(["text": text, "voice": "fr", "format": format]))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == mime)
            let seconds = try Self.decodedSeconds(response.body, ext: format)
            // The audio is the duration the marks endpoint promised (codecs pad a few frames).
            #expect(abs(seconds * 1000 - Double(durationMs)) < 120, "\(format): \(seconds) s vs \(durationMs) ms")
        }
    }

    /// `"stream": false` makes the WAV whole first, so its header gives its true length; streamed, it cannot.
    @Test func aWholeWAVSaysItsTrueLength() async throws {
        try await Self.withApp { client in
            func header(_ stream: Bool?) async throws -> (data: UInt32, riff: UInt32, count: Int) {
                var body: [String: Any] = ["text": "Bonjour à tous.", "voice": "fr", "format": "wav"]
                if let stream { body["stream"] = stream }
                let answer = try await client.execute(uri: "/v1/speech", method: .post, body: Self.json(body))
                #expect(answer.status == .ok)
                let bytes = [UInt8](Data(buffer: answer.body))
                func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
                return (u32(40), u32(4), bytes.count)
            }
            let whole = try await header(false)
            #expect(Int(whole.data) == whole.count - 44 && Int(whole.riff) == whole.count - 8, "\(whole)")
            #expect(whole.count > 22_050)
            let streamed = try await header(nil)
            #expect(streamed.data == 0xFFFF_FFFF && streamed.count == whole.count, "\(streamed)")
        }
    }

    @Test func acceptHeaderChoosesTheFormat() async throws {
        try await Self.withApp { client in
            let response = try await client.execute(
                uri: "/v1/speech", method: .post, headers: [.accept: "audio/mpeg"],
                body: Self.json(["text": "Bonjour.", "voice": "fr"]))
            #expect(response.headers[.contentType] == "audio/mpeg")
            #expect(try Self.decodedSeconds(response.body, ext: "mp3") > 0.3)
            let refused = try await client.execute(
                uri: "/v1/speech", method: .post, headers: [.accept: "text/html"],
                body: Self.json(["text": "Bonjour.", "voice": "fr"]))
            _ = try Self.expectProblem(refused, .notAcceptable, "not-acceptable")
        }
    }

    @Test func marksPointAtTheArabicWords() async throws {
        try await Self.withApp { client in
            let text = "يمكنكم طلب نسخة موجزة من رسم الولادة."
            let response = try await client.execute(
                uri: "/v1/speech/marks", method: .post, body: Self.json(["text": text, "voice": "ar"]))
            #expect(response.status == .ok)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
            let marks = doc["marks"] as! [[String: Any]]
            let scalars = Array(text.unicodeScalars)
            let words = marks.filter { $0["type"] as? String == "word" }.map { m -> String in
                let start = m["start"] as! Int
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars[start..<start + (m["length"] as! Int)])
                return String(s)
            }
            #expect(words == ["يمكنكم", "طلب", "نسخة", "موجزة", "من", "رسم", "الولادة"])
            let times = marks.filter { $0["type"] as? String == "word" }.map { $0["time_ms"] as! Int }
            #expect(times == times.sorted() && times.last! < doc["duration_ms"] as! Int)
        }
    }

    @Test func badInputGetsAPreciseProblem() async throws {
        try await Self.withApp(Self.configuration(maxText: 50)) { client in
            func post(_ body: ByteBuffer) async throws -> TestResponse {
                try await client.execute(uri: "/v1/speech", method: .post, body: body)
            }
            _ = try Self.expectProblem(
                try await post(Self.json(["text": "  ", "voice": "fr"])), .badRequest, "empty-text")
            _ = try Self.expectProblem(try await post(Self.json(["voice": "fr"])), .badRequest, "empty-text")
            _ = try Self.expectProblem(try await post(ByteBuffer(string: "{\"text\": ")), .badRequest, "invalid-json")
            _ = try Self.expectProblem(
                try await post(Self.json(["text": 12, "voice": "fr"])), .badRequest, "invalid-json")
            let utf8 = try Self.expectProblem(
                try await post(ByteBuffer(bytes: Array("{\"text\":\"a".utf8) + [0xC3, 0x28] + Array("\"}".utf8))),
                .badRequest, "invalid-utf8")
            #expect((utf8["detail"] as! String).contains("offset 10"))
            let voice = try Self.expectProblem(
                try await post(Self.json(["text": "Salut", "voice": "klingon"])), .notFound, "unknown-voice")
            #expect(voice["voices"] as? [String] == ["ar", "fr", "en", "zgh", "shi", "tzm", "rif"])
            let format = try Self.expectProblem(
                try await post(Self.json(["text": "Salut", "voice": "fr", "format": "flac"])), .unsupportedMediaType,
                "unknown-format")
            #expect(format["formats"] as? [String] == ["wav", "ogg", "mp3"])
            let long = try Self.expectProblem(
                try await post(Self.json(["text": String(repeating: "mot ", count: 13), "voice": "fr"])),
                .contentTooLarge, "text-too-long")
            #expect((long["detail"] as! String).contains("52 characters; the limit is 50"))
            _ = try Self.expectProblem(
                try await post(Self.json(["text": "Salut", "voice": "fr", "rate": 9000])), .badRequest, "out-of-range")
            _ = try Self.expectProblem(
                try await client.execute(uri: "/v1/nothing", method: .get), .notFound, "not-found")
        }
    }

    @Test func amazighIsSpokenWithMarksAndNonIRCAMLettersAreReported() async throws {
        try await Self.withApp { client in
            let text = "ⴰⵣⵓⵍ ⵜⴰⵏⵎⵎⵉⵔⵜ ⴰⴾⵍ"
            let marks = try await client.execute(
                uri: "/v1/speech/marks", method: .post, body: Self.json(["text": text, "voice": "shi"]))
            #expect(marks.status == .ok)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: marks.body)) as! [String: Any]
            let words = (doc["marks"] as! [[String: Any]]).filter { $0["type"] as? String == "word" }
            let scalars = Array(text.unicodeScalars)
            let spokenWords = words.map { m -> String in
                let start = m["start"] as! Int
                return String(String.UnicodeScalarView(scalars[start..<start + (m["length"] as! Int)]))
            }
            #expect(spokenWords == ["ⴰⵣⵓⵍ", "ⵜⴰⵏⵎⵎⵉⵔⵜ", "ⴰⴾⵍ"])
            #expect((doc["warnings"] as! [String]).first?.contains("U+2D3E") == true)
            let audio = try await client.execute(
                uri: "/v1/speech", method: .post, body: Self.json(["text": text, "voice": "ber", "format": "wav"]))
            #expect(audio.status == .ok)
            #expect(audio.headers[HTTPFields.Element.Name("Qari-Warning")!]?.contains("U+2D3E") == true)
            #expect(try Self.decodedSeconds(audio.body, ext: "wav") > 1)
        }
    }

    static let page = """
        <!doctype html><html lang="ar"><head><title>نسخة</title></head><body><nav><a href="/">الرئيسية</a></nav>
        <main><h1>طلب نسخة من رسم الولادة</h1><p>يمكنكم طلب النسخة عبر البوابة <span lang="fr">en ligne</span> مجانا.</p>
        <p lang="zgh">ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ</p></main><footer>حقوق</footer></body></html>
        """

    @Test func healthIsDegradedWhenAnyPoolIsDownAndUnavailableWithoutSpeech() async throws {
        // No page worker can start: pages are down, speech still works.
        var configuration = Self.configuration()
        configuration.pagePool.command = WorkerCommand(executable: "/nonexistent/page-worker", arguments: [])
        let speech = WorkerPool.speech(configuration.pool)
        try await speech.start()
        let pages = PageWorker.pool(configuration.pagePool, logger: Logger(label: "test"))
        let readings = Readings(
            speaker: Speaker(pool: speech, diacritizer: try await Support.diacritizer()),
            pages: PageService(pool: pages, options: configuration.page), store: nil,
            versions: .current(diacritizer: nil))
        let router = buildRouter(readings: readings, configuration: configuration)
        let app = Application(router: router)
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: health.body)) as? [String: Any] ?? [:]
            #expect(health.status == .ok)
            #expect(doc["status"] as? String == "degraded")
            #expect((doc["pages"] as? [String: Any])?["status"] as? String == "down")
            #expect((doc["speech"] as? [String: Any])?["status"] as? String == "ok")
            // Speech gone: the daemon cannot do its job.
            await speech.shutdown()
            let down = try await client.execute(uri: "/health", method: .get)
            #expect(down.status == .serviceUnavailable)
            let page = try await Self.postPage(client, Array("<main lang=fr><p>Bonjour</p></main>".utf8))
            _ = try Self.expectProblem(page, .serviceUnavailable, "unavailable")
        }
    }

    @Test func aPageWorkerThatDiesCostsOnlyItsRequest() async throws {
        var configuration = Self.configuration()
        // A page worker that says ready, then dies on the first byte of any request.
        configuration.pagePool.command = WorkerCommand(
            executable: "/bin/sh",
            arguments: [
                "-c",
                #"printf '\010\000\000\000\012\000\000\000\000\001\000\000\000'; head -c 1 >/dev/null; kill -9 $$"#,
            ])
        try await Self.withApp(configuration) { client in
            let page = try await Self.postPage(client, Array("<main lang=fr><p>Bonjour</p></main>".utf8))
            let problem = try Self.expectProblem(page, .serviceUnavailable, "worker-crashed")
            #expect(problem["title"] as? String == "Page worker crashed")
            let speech = try await client.execute(
                uri: "/v1/speech/marks", method: .post, body: Self.json(["text": "Bonjour.", "voice": "fr"]))
            #expect(speech.status == .ok)
            let health = try await client.execute(uri: "/health", method: .get)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: health.body)) as? [String: Any] ?? [:]
            let pages = doc["pages"] as? [String: Any] ?? [:]
            #expect((pages["crashes"] as? Int ?? 0) >= 1)
        }
    }

    @Test func voicesAndHealth() async throws {
        try await Self.withApp { client in
            let voices = try await client.execute(uri: "/v1/voices", method: .get)
            let list = try JSONSerialization.jsonObject(with: Data(buffer: voices.body)) as! [[String: Any]]
            #expect(list.map { $0["id"] as! String } == ["ar", "fr", "en", "zgh", "shi", "tzm", "rif"])
            #expect(list.allSatisfy { $0["language"] != nil && $0["name"] != nil && $0["script"] != nil })
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: health.body)) as! [String: Any]
            #expect(doc["status"] as? String == "ok")
            #expect(((doc["speech"] as! [String: Any])["workers"] as! [Any]).count == 2)
            #expect((doc["diacritizer"] as! [String: Any])["status"] as? String == "ok")
            for name in ["speech", "diacritizer", "pages"] {
                #expect((doc[name] as? [String: Any])?["name"] as? String == name)
                #expect((doc[name] as? [String: Any])?["status"] as? String == "ok")
            }
        }
    }

    @Test func withoutTheDiacritizerHealthIsDegradedAndArabicStillSpoken() async throws {
        var configuration = Self.configuration()
        configuration.diacritizer = DiacritizerLocation(python: "/nonexistent/python3", script: "/nonexistent/w.py")
        try await Self.withApp(configuration) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: health.body)) as! [String: Any]
            #expect(health.status == .ok)
            #expect(doc["status"] as? String == "degraded")
            #expect((doc["diacritizer"] as! [String: Any])["status"] as? String == "down")
            let speech = try await client.execute(
                uri: "/v1/speech", method: .post, body: Self.json(["text": "الوثائق المطلوبة", "voice": "ar"]))
            #expect(speech.status == .ok)
            #expect(try Self.decodedSeconds(speech.body, ext: "wav") > 0.5)
        }
    }

    @Test func ssmlIsSpokenAndMalformedSSMLIsA400WithItsPlace() async throws {
        try await Self.withApp { client in
            let good = #"<speak>Bonjour <mark name="m"/>à tous.</speak>"#
            let marks = try await client.execute(
                uri: "/v1/speech/marks", method: .post, body: Self.json(["text": good, "voice": "fr", "ssml": true]))
            #expect(marks.status == .ok)
            let doc = try JSONSerialization.jsonObject(with: Data(buffer: marks.body)) as! [String: Any]
            let list = doc["marks"] as! [[String: Any]]
            #expect(list.contains { $0["type"] as? String == "mark" && $0["name"] as? String == "m" })
            let bad = try await client.execute(
                uri: "/v1/speech", method: .post,
                body: Self.json(["text": "<speak>\n<p>Bonjour</s></speak>", "voice": "fr", "ssml": true]))
            let problem = try Self.expectProblem(bad, .badRequest, "invalid-ssml")
            #expect((problem["detail"] as? String)?.contains("line 2, column 11") == true)
            // Where the markup went wrong, as numbers.
            #expect(problem["line"] as? Int == 2 && problem["column"] as? Int == 11)
        }
    }

    @Test func aFullPoolAnswers503WithRetryAfter() async throws {
        // A real socket: the long request holds the worker on a connection of its own (curl).
        try await Self.withApp(Self.configuration(workers: 1, queueLimit: 0), .live) { client in
            let port = try #require(client.port)
            let long = String(repeating: try Support.sampleText("fr_page"), count: 10)
            let body = Support.temporaryFile("json")
            try JSONSerialization.data(withJSONObject: ["text": long, "voice": "fr"]).write(
                to: URL(fileURLWithPath: body))
            // Hold the only worker with a long text on a connection of its own, then ask again.
            let first = Task {
                try Support.run(
                    "/usr/bin/curl",
                    [
                        "-s", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@\(body)",
                        "http://127.0.0.1:\(port)/v1/speech",
                    ])
            }
            // Wait until the long request holds the worker, then ask again.
            var busy: TestResponse?
            for _ in 0..<500 where busy == nil {
                let health = try await client.execute(uri: "/health", method: .get)
                if String(buffer: health.body).contains("\"busy\"") {
                    busy = try await client.execute(
                        uri: "/v1/speech/marks", method: .post, body: Self.json(["text": "Bonjour.", "voice": "fr"]))
                } else {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            let response = try #require(busy)
            _ = try Self.expectProblem(response, .serviceUnavailable, "busy")
            #expect(response.headers[.retryAfter] == "1")
            #expect(String(decoding: try await first.value.out, as: UTF8.self) == "200")
        }
    }

    @Test func aTextThatKillsTwoWorkersIsAPoisonPillRefusedAtOnceAfterwards() async throws {
        // A worker that says it is ready, then dies on its first request.
        let script = """
            printf '\\010\\000\\000\\000\\012\\042\\126\\000\\000\\000\\000\\000\\000'; head -c 5 > /dev/null; exit 3
            """
        let crashing = WorkerCommand(executable: "/bin/sh", arguments: ["-c", script])
        try await Self.withApp(Self.configuration(workers: 1, command: crashing)) { client in
            // The pool counts a crash when it sees the worker's exit, a moment after the request has failed.
            func crashes(settlingOn expected: Int) async throws -> Int? {
                var count: Int?
                for _ in 0..<100 {
                    let health = try await client.execute(uri: "/health", method: .get)
                    let doc = try JSONSerialization.jsonObject(with: Data(buffer: health.body)) as! [String: Any]
                    count = (doc["speech"] as! [String: Any])["crashes"] as? Int
                    if count == expected { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return count
            }
            // The first crash is retried on a new worker; the second ends the request with a precise 503.
            let first = try await client.execute(
                uri: "/v1/speech", method: .post, body: Self.json(["text": "Bonjour.", "voice": "fr"]))
            let problem = try Self.expectProblem(first, .serviceUnavailable, "worker-crashed")
            #expect((problem["detail"] as! String).contains("exited with status 3"))
            #expect(try await crashes(settlingOn: 2) == 2)
            // The same text again: refused at once, no worker killed.
            let again = try await client.execute(
                uri: "/v1/speech", method: .post, body: Self.json(["text": "Bonjour.", "voice": "fr"]))
            let pill = try Self.expectProblem(again, .unprocessableContent, "engine")
            #expect((pill["detail"] as! String).contains("crash twice"))
            #expect(try await crashes(settlingOn: 2) == 2)
            // Another text is tried again (the engine, not the text, may be at fault).
            let other = try await client.execute(
                uri: "/v1/speech", method: .post, body: Self.json(["text": "Bonsoir.", "voice": "fr"]))
            _ = try Self.expectProblem(other, .serviceUnavailable, "worker-crashed")
            #expect(try await crashes(settlingOn: 4) == 4)
        }
    }
}
