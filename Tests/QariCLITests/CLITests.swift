import Foundation
import QariSpeech
import QariTestSupport
import QariText
import Synchronization
import Testing

/// `qari` as a person runs it.
@Suite struct CLITests {
    static var qari: String { Support.qariPath }

    static func run(_ args: [String], stdin: String? = nil, in folder: String? = nil) throws -> (
        status: Int32, out: Data, err: String
    ) {
        try Support.run(qari, args, stdin: stdin.map { Data($0.utf8) }, in: folder)
    }

    static func tmp(_ ext: String) -> String { Support.temporaryFile(ext) }

    @Test(arguments: ["wav", "ogg", "mp3"])
    func synthWritesTheFormatOfTheExtension(_ ext: String) throws {
        let file = Self.tmp(ext)
        let marks = Self.tmp("json")
        defer { try? FileManager.default.removeItem(atPath: file); try? FileManager.default.removeItem(atPath: marks) }
        let r = try Self.run(["synth", "--voice", "fr", "-o", file, "--marks", marks, "Bonjour, voici votre reçu."])
        #expect(r.status == 0, "\(r.err)")
        let seconds = try Support.decodedDuration(file)
        let doc =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: marks))) as! [String: Any]
        let durationMs = doc["duration_ms"] as! Int
        #expect(abs(seconds * 1000 - Double(durationMs)) < 120, "\(ext): \(seconds) s vs marks' \(durationMs) ms")
        #expect((doc["marks"] as! [[String: Any]]).filter { $0["type"] as? String == "word" }.count == 4)
    }

    @Test func synthReadsStdinAndWritesStdout() throws {
        let r = try Self.run(["synth", "-v", "ar", "--format", "wav"], stdin: "مرحبا بكم في البوابة الوطنية")
        #expect(r.status == 0)
        #expect(r.out.prefix(4) == Data("RIFF".utf8))
        #expect(r.out.count > 44 + 22050)  // more than half a second of audio
    }

    @Test func amazighVoicesAreListedSpokenAndMeasured() throws {
        let voices = try Self.run(["voices"])
        let listed = String(decoding: voices.out, as: UTF8.self)
        for id in AmazighVariety.allCases.map(\.rawValue) { #expect(listed.contains("\n\(id) "), "\(listed)") }
        let file = Self.tmp("wav")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let synth = try Self.run(["synth", "-v", "tzm", "-o", file, "ⴰⵣⵓⵍ ⴼⵍⴰⵡⵏ ⴰⴾⵍ"])
        #expect(synth.status == 0, "\(synth.err)")
        #expect(synth.err.contains("warning: ⴾ (U+2D3E) is not an IRCAM Tifinagh letter"), "\(synth.err)")
        #expect(try Support.decodedDuration(file) > 0.5)
        let ipa = try Self.run(["phonemes", "--ipa", "-v", "tzm", "ⵜⴰⵎⴰⵣⵉⵖⵜ"])
        #expect(String(decoding: ipa.out, as: UTF8.self).hasPrefix("θamaziχθ"))
        let cases = Self.tmp("json")
        defer { try? FileManager.default.removeItem(atPath: cases) }
        let json = """
            [{"tifinagh": "ⴰⵣⵓⵍ", "latin": "azul", "variety": "zgh", "ipa": "azul"},
             {"latin": "tamaziɣt", "variety": "tzm", "ipa": "tamaziɣt"}]
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: cases))
        let per = try Self.run(["per", cases])
        let report = String(decoding: per.out, as: UTF8.self)
        // tzm reads t t as θ θ and ɣ as χ: 3 of the 16 phonemes differ from these stop-keeping transcriptions.
        #expect(per.status == 0 && report.contains("PER: 18.75%"), "\(report)")
        #expect(try Self.run(["per", "/nonexistent.json"]).err == "qari: cannot read /nonexistent.json\n")
    }

    @Test func readSpeaksAPageAndExtractsItForTheScorer() throws {
        let page = Support.samplesDir.appendingPathComponent("pages/sample-ar-zgh.html").path
        let extracted = try Self.run(["read", "--extract-only", "--json", page])
        #expect(extracted.status == 0, "\(extracted.err)")
        let doc = try JSONSerialization.jsonObject(with: extracted.out) as! [String: Any]
        #expect(doc["lang"] as? String == "ar")
        let passages = doc["passages"] as! [[String: String]]
        #expect(passages.first == ["lang": "ar", "text": "طلب نسخة من رسم الولادة"])
        #expect(passages[3] == ["lang": "zgh", "text": "ⵜⴰⵏⵎⵎⵉⵔⵜ"])
        let html = Self.tmp("html")
        let audio = Self.tmp("ogg")
        let marks = Self.tmp("json")
        defer { for f in [html, audio, marks] { try? FileManager.default.removeItem(atPath: f) } }
        try Data("<html lang=fr><main><h1>Bonjour</h1><p>Votre reçu est prêt.</p></main></html>".utf8).write(
            to: URL(fileURLWithPath: html))
        let r = try Self.run(["read", html, "-o", audio, "--marks", marks])
        #expect(r.status == 0, "\(r.err)")
        let plan =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: marks))) as! [String: Any]
        #expect(
            (plan["passages"] as! [[String: Any]]).map { $0["text"] as! String } == ["Bonjour", "Votre reçu est prêt."])
        #expect(abs(try Support.decodedDuration(audio) * 1000 - Double(plan["duration_ms"] as! Int)) < 150)
        #expect(try Self.run(["read", "/nonexistent.html"]).err == "qari: cannot read /nonexistent.html\n")
        #expect(try Self.run(["read", "--extract-only", "-"], stdin: "<p>caf\u{0}").status == 0)
        // A page with nothing to read is an error, not an empty list.
        for flags in [["--extract-only"], ["--extract-only", "--json"]] {
            let empty = try Self.run(
                ["read"] + flags + ["-"], stdin: "<html><body><nav><a href=/>Accueil</a></nav></body></html>")
            #expect(empty.status == 1 && empty.out.isEmpty, "\(flags)")
            #expect(
                empty.err
                    == "qari: -: the page has no main content to read (all of it is navigation, controls or hidden)\n")
        }
    }

    @Test func transformWritesThePageOrTheStylesheet() throws {
        let page = Support.samplesDir.appendingPathComponent("pages/sample-ar-zgh.html").path
        let out = Self.tmp("html")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try Self.run(["transform", "--mode", "contrast:dark:cyan", "--mode", "large:200", page, "-o", out])
        #expect(r.status == 0, "\(r.err)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("#00ffff") && html.contains("font-size: 200%") && html.contains("ⵜⴰⵏⵎⵎⵉⵔⵜ"))
        let css = try Self.run(["transform", "--css", "--mode", "contrast:light"])
        #expect(String(decoding: css.out, as: UTF8.self).contains("#0000c0"))
        let bad = try Self.run(["transform", "--mode", "huge", page])
        #expect(
            bad.status == 1 && bad.err.hasPrefix("qari: unknown mode \"huge\"")
                && bad.err.filter { $0 == "\n" }.count == 1)
    }

    @Test func phonemesAreFrench() throws {
        let r = try Self.run(["phonemes", "--voice", "fr", "bonjour"])
        #expect(r.status == 0)
        let out = String(decoding: r.out, as: UTF8.self)
        #expect(out.contains("O~") && out.contains("Z"), "\(out)")
        let ipa = String(decoding: try Self.run(["phonemes", "--voice", "fr", "--ipa", "bonjour"]).out, as: UTF8.self)
        #expect(ipa.contains("ɔ̃") && ipa.contains("ʁ"), "\(ipa)")
    }

    @Test func voicesListsArabicFrenchAndAmazigh() throws {
        let r = try Self.run(["voices", "--json"])
        let list = try JSONSerialization.jsonObject(with: r.out) as? [[String: Any]] ?? []
        #expect(list.map { $0["id"] as? String } == ["ar", "fr", "en", "zgh", "shi", "tzm", "rif"])
        #expect(list.last?["scripts"] as? [String] == ["Tfng", "Latn"])
    }

    @Test(arguments: [
        (["synth", "-v", "xx", "bonjour"], Int32(1), "no voice \"xx\""),
        (["synth", "-v", "fr", "--rate", "10", "bonjour"], 2, "--rate 10"),
        (["synth", "-v", "fr", "-o", "/tmp/x.flac", "bonjour"], 1, ".flac"),
        (["synth", "-v", "fr", "--file", "/nonexistent/text.txt"], 1, "cannot read /nonexistent/text.txt"),
        (["synth", "-v", "fr", "   "], 1, "empty"),
        (["synth", "--bogus"], 2, "--bogus"),
        (["phonemes", "--voice", "zz", "x"], 1, "no voice"),
        (["normalize", "--voice", "zz", "x"], 1, "no voice"),
        (["normalize", "--voice", "fr", "--file", "/nonexistent/text.txt"], 1, "cannot read /nonexistent/text.txt"),
        (["normalize", "--voice", "fr", "-60 degrés"], 2, "-60 degrés"),
    ])
    func userErrorsAreOneLineAndANonZeroExit(_ args: [String], _ status: Int32, _ needle: String) throws {
        let r = try Self.run(args)
        #expect(r.status == status, "\(args): \(r.err)")
        #expect(r.err.hasPrefix("qari: ") && r.err.split(separator: "\n").count == 1, "\(r.err)")
        #expect(r.err.contains(needle), "\(r.err)")
    }

    @Test func normalizePrintsWordsLineByLineAndTakesADashTextAfterTwoDashes() throws {
        let file = Self.tmp("txt")
        try Data("Mᵐᵉ Alaoui paie 3/4 du montant\n\n-60 °C à 25 %\n".utf8).write(to: URL(fileURLWithPath: file))
        let r = try Self.run(["normalize", "--voice", "fr", "--lexicon", "none", "--file", file])
        #expect(r.status == 0, "\(r.err)")
        #expect(
            String(decoding: r.out, as: UTF8.self)
                == "madame Alaoui paie trois quarts du montant\n\nmoins soixante degrés Celsius à vingt-cinq pour cent\n"
        )
        let dash = try Self.run(["normalize", "--voice", "ar", "--", "-5%"])
        #expect(String(decoding: dash.out, as: UTF8.self) == "ناقص خمسة في المائة\n", "\(dash.err)")
        let help = try Self.run(["normalize", "--help"])
        #expect(String(decoding: help.out, as: UTF8.self).contains("after '--'"))
        // Text that is not UTF-8: one line, exit 1.
        try Data([0x66, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: file))
        let bad = try Self.run(["normalize", "--voice", "fr", "--file", file])
        #expect(bad.status == 1 && bad.err.hasPrefix("qari: ") && bad.err.contains("not UTF-8"), "\(bad.err)")
    }

    @Test func serveChecksItsConfigurationAndShowsKeysOnlyAsFingerprints() throws {
        let file = Self.tmp("json")
        try Data(
            #"{"port": 9001, "api": {"keys": ["file-key-0123456789abcdef"]}, "limits": {"readings_per_minute": 12}, "cors": {"origins": ["https://www.service-public.ma"]}}"#
                .utf8
        ).write(to: URL(fileURLWithPath: file))
        // The file, then the environment over it, then the flags over both.
        let r = try Support.run(
            "/usr/bin/env",
            [
                "QARI_API_KEYS=env-key-0123456789abcdef,env-key-fedcba9876543210", "QARI_LIMITS_READINGS_BURST=4",
                Self.qari, "serve", "--config", file, "--port", "9002", "--check-config",
            ])
        #expect(r.status == 0, "\(r.err)")
        let out = String(decoding: r.out, as: UTF8.self)
        for line in [
            "port = 9002", "limits.readings_per_minute = 12", "limits.readings_burst = 4",
            "cors.origins = https://www.service-public.ma",
        ] {
            #expect(out.contains(line + "\n"), "no \(line) in:\n\(out)")
        }
        #expect(out.contains("api.keys = sha256:"))
        #expect(!out.contains("env-key") && !out.contains("file-key"), "a key was printed")
        #expect(out.components(separatedBy: "sha256:").count == 3, "the environment's two keys replace the file's")
        // Every mistake at once, one line each, and a non-zero exit.
        try Data(#"{"port": "eighty", "limits": {"readings_per_min": 3}}"#.utf8).write(to: URL(fileURLWithPath: file))
        let bad = try Self.run(["serve", "--config", file, "--check-config"])
        #expect(bad.status == 1)
        #expect(bad.err.contains("qari: \(file): unknown key \"limits.readings_per_min\"\n"), "\(bad.err)")
        #expect(bad.err.contains("qari: port: "), "\(bad.err)")
        let open = try Self.run(["serve", "--host", "0.0.0.0", "--check-config"])
        #expect(open.status == 1 && open.err.contains("no API keys are set"), "\(open.err)")
        // A daemon's name ends private ids in URLs a proxy routes on: a-z and digits only.
        let instance = try Self.run(["serve", "--private-instance", "Node_1", "--check-config"])
        #expect(instance.status == 1 && instance.err.contains("private.instance Node_1 is not"), "\(instance.err)")
        // The commented example the README points operators to is valid, and YAML mistakes are found too.
        let example = Support.repoDir.appendingPathComponent("deploy/qari.example.yaml").path
        let shipped = try Self.run(["serve", "--config", example, "--check-config"])
        #expect(shipped.status == 0 && String(decoding: shipped.out, as: UTF8.self).contains("log.format = json"))
        let yaml = Self.tmp("yaml")
        try Data("limits:\n  readings_per_minute: 10\n  burst: 3\n".utf8).write(to: URL(fileURLWithPath: yaml))
        let badYAML = try Self.run(["serve", "--config", yaml, "--check-config"])
        #expect(badYAML.status == 1 && badYAML.err.contains("unknown key \"limits.burst\""), "\(badYAML.err)")
        let broken = try Self.run(["serve", "--config", "/nonexistent/qari.json", "--check-config"])
        #expect(broken.status == 1 && broken.err == "qari: cannot read the configuration file /nonexistent/qari.json\n")
    }

    /// The example operators copy names every key the daemon reads (set, or as a commented `# key:` line), and
    /// nothing else; each key is also a flag and a variable, and `--help` says so with the file's right name.
    @Test func theExampleConfigurationNamesExactlyTheDaemonsKeys() throws {
        let example = Support.repoDir.appendingPathComponent("deploy/qari.example.yaml").path
        let fileKeys = try Support.exampleConfigurationKeys()
        let effective = try Self.run(["serve", "--config", example, "--check-config"])
        #expect(effective.status == 0, "\(effective.err)")
        let daemonKeys = Set(
            String(decoding: effective.out, as: UTF8.self).split(separator: "\n").compactMap {
                $0.components(separatedBy: " = ").first
            })
        #expect(daemonKeys.count > 20)
        #expect(
            fileKeys == daemonKeys,
            "only in the file: \(fileKeys.subtracting(daemonKeys)); only read: \(daemonKeys.subtracting(fileKeys))")
        let help = String(decoding: try Self.run(["serve", "--help"]).out, as: UTF8.self)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("deploy/qari.example.yaml") && !help.contains("qari.example.json"), "\(help)")
        #expect(help.contains("--cache-size and QARI_CACHE_SIZE"), "\(help)")
        // A flag is its key: the same value from the flag, the variable, or the file; an unknown flag is refused.
        let flag = try Self.run(["serve", "--limits-readings-burst", "7", "--check-config"])
        #expect(String(decoding: flag.out, as: UTF8.self).contains("limits.readings_burst = 7\n"), "\(flag.err)")
        let unknown = try Self.run(["serve", "--cache-dir", "/tmp", "--check-config"])
        #expect(unknown.status == 1 && unknown.err.contains("unknown option --cache-dir"), "\(unknown.err)")
    }

    @Test func serveShutsDownGracefullyOnSIGTERM() async throws {
        // A range no other test of this process picks from (they run at the same time, with the same pid).
        let port = 22_000 + Int(getpid() % 2000)
        let log = Pipe()
        let server = try await Self.serve(
            port: port, ["--workers-speech", "1", "--log-level", "debug"], stderr: log)
        defer { if server.isRunning { server.terminate() } }
        // The daemon's log, read as it comes (at debug level it logs each request as it arrives).
        let lines = Mutex((text: "", ended: false))
        let reader = Thread {
            while case let data = log.fileHandleForReading.availableData, !data.isEmpty {
                lines.withLock { $0.text += String(decoding: data, as: UTF8.self) }
            }
            lines.withLock { $0.ended = true }
        }
        reader.start()
        let page = (1...600).map { "Phrase \($0) : une de plus pour que la lecture dure. " }.joined()
        let body = Self.tmp("json")
        try JSONSerialization.data(withJSONObject: ["text": page, "voice": "fr"]).write(to: URL(fileURLWithPath: body))
        let (out, code) = (Self.tmp("json"), Self.tmp("code"))
        FileManager.default.createFile(atPath: code, contents: nil)
        // Its own process, started now: a task blocked on it could wait for a thread while the daemon idles.
        let request = Process()
        request.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        request.arguments = [
            "-s", "--max-time", "300", "-o", out, "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(body)",
            "-H", "X-Request-Id: sigterm-\(port)", "http://127.0.0.1:\(port)/v1/speech/marks",
        ]
        request.standardOutput = FileHandle(forWritingAtPath: code)
        try request.run()
        defer { if request.isRunning { request.terminate() } }
        // The event itself: the daemon logs the request's arrival (a deadline, not a guess of how long it takes).
        let deadline = ContinuousClock.now + .seconds(120)
        var arrived = false
        while !arrived, ContinuousClock.now < deadline {
            arrived = lines.withLock { $0.text.contains("request_id=sigterm-\(port)") }
            if !arrived { try await Task.sleep(for: .milliseconds(5)) }
        }
        try #require(arrived, "the daemon never logged the request's arrival")
        server.terminate()  // SIGTERM, while the request is in flight
        request.waitUntilExit()
        server.waitUntilExit()
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: code)), as: UTF8.self) == "200")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect((doc["marks"] as! [Any]).count > 3000)
        #expect(server.terminationStatus == 0)
        // The request was answered whole after SIGTERM: its line says so (the log read to its end).
        while !lines.withLock({ $0.ended }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let answered = lines.withLock { log in
            log.text.split(separator: "\n").contains {
                $0.contains("request_id=sigterm-\(port)") && $0.contains("status=200")
                    && $0.contains("outcome=complete")
            }
        }
        #expect(answered, "\(lines.withLock { $0.text.suffix(2000) })")
    }

    static func serve(port: Int, _ arguments: [String], in folder: String? = nil, stderr: Pipe = Pipe()) async throws
        -> Process
    {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.qari)
        if let folder { server.currentDirectoryURL = URL(fileURLWithPath: folder) }
        server.arguments = ["serve", "--port", "\(port)"] + arguments
        server.standardError = stderr
        try server.run()
        var up = false
        for _ in 0..<100 where !up {
            try await Task.sleep(for: .milliseconds(100))
            up = (try? Self.curl(["-sf", "http://127.0.0.1:\(port)/health"]).status) == 0
        }
        if !up { server.terminate() }
        try #require(up)
        return server
    }

    /// The id of the reading the daemon on `port` makes of `page` ("" when it made none).
    static func reading(of page: String, port: Int) throws -> String {
        let answer = try curl([
            "-sf", "-H", "Content-Type: text/html", "--data-binary", page, "http://127.0.0.1:\(port)/v1/readings",
        ])
        return (try JSONSerialization.jsonObject(with: answer.out) as? [String: Any])?["id"] as? String ?? ""
    }

    static func curl(_ args: [String]) throws -> (status: Int32, out: Data) {
        let r = try Support.run("/usr/bin/curl", args)
        return (r.status, r.out)
    }
}
