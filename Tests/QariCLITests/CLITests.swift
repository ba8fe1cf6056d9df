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
        var fileKeys: Set<String> = []
        var parents: [(indent: Int, key: String, isList: Bool)] = []
        let keyLine = try Regex(#"^( *)(?:# ?)?([a-z_]+):(.*)$"#)
        for line in try String(contentsOfFile: example, encoding: .utf8).split(separator: "\n") {
            // A list's items: the key above them is a setting, not a section.
            if line.drop(while: { $0 == " " }).hasPrefix("- ") {
                // Its first item only: the key above becomes a setting, and is no section of the next items.
                if let list = parents.last, list.indent < line.prefix(while: { $0 == " " }).count, !list.isList {
                    fileKeys.insert(parents.map(\.key).joined(separator: "."))
                    parents[parents.count - 1].isList = true
                }
                continue
            }
            guard let m = try keyLine.wholeMatch(in: String(line)) else { continue }
            let indent = m.output[1].substring?.count ?? 0
            let key = String(m.output[2].substring ?? "")
            let rest = (m.output[3].substring ?? "").split(separator: "#").first?.trimmingCharacters(in: .whitespaces)
            parents.removeAll { $0.indent >= indent }
            let path = (parents.map(\.key) + [key]).joined(separator: ".")
            if rest?.isEmpty ?? true {
                parents.append((indent, key, false))
            } else {
                fileKeys.insert(path)
            }
        }
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
        let port = 18_000 + Int(getpid() % 2000)
        let server = try await Self.serve(port: port, ["--workers-speech", "1", "--log-level", "warning"])
        defer { if server.isRunning { server.terminate() } }
        let page = String(repeating: "Une phrase de plus pour que la lecture dure. ", count: 400)
        let body = Self.tmp("json")
        try JSONSerialization.data(withJSONObject: ["text": page, "voice": "fr"]).write(to: URL(fileURLWithPath: body))
        let out = Self.tmp("wav")
        let request = Task {
            try Self.curl([
                "-s", "-o", out, "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(body)",
                "http://127.0.0.1:\(port)/v1/speech/marks",
            ])
        }
        // SIGTERM once the request is being spoken (the speech worker busy), within a deadline.
        let started = ContinuousClock.now
        var speaking = false
        while !speaking && ContinuousClock.now - started < .seconds(30) {
            let metrics = try Self.curl(["-s", "http://127.0.0.1:\(port)/metrics"]).out
            speaking = String(decoding: metrics, as: UTF8.self).contains(#"qari_pool_busy_workers{pool="speech"} 1.0"#)
            if !speaking { try await Task.sleep(for: .milliseconds(10)) }
        }
        try #require(speaking, "the request never reached the speech worker")
        server.terminate()  // SIGTERM, while the request is in flight
        let result = try await request.value
        server.waitUntilExit()
        #expect(String(decoding: result.out, as: UTF8.self) == "200")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect((doc["marks"] as! [Any]).count > 3000)
        #expect(server.terminationStatus == 0)
    }

    static func writeLexicon(_ path: String, alias: String) throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" xml:lang="fr">
              <lexeme><grapheme>Qari</grapheme><alias>\(alias)</alias></lexeme>
            </lexicon>
            """
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func lexiconCheckNamesTheLineOfABadPhonemeAndPassesTheShippedOnes() throws {
        let bad = Self.tmp("pls")
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="fr">
          <lexeme><grapheme>Rabat</grapheme><phoneme>raβat</phoneme></lexeme>
        </lexicon>
        """.write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try Self.run(["lexicon", "check", bad])
        #expect(r.status != 0)
        #expect(r.err.contains("\(bad):3:") && r.err.contains("unknown ipa phoneme \"β\""), "\(r.err)")
        let folder = Support.repoDir.appendingPathComponent("lexicons").path
        let shipped = try Self.run(["lexicon", "check", folder + "/fr.pls", folder + "/ar.pls"])
        #expect(shipped.status == 0, "\(shipped.err)")
        // Synthesis refuses a broken lexicon in one line instead of reading without it.
        let synth = try Self.run(["phonemes", "--voice", "fr", "--lexicon", bad, "Rabat"])
        #expect(synth.status != 0 && synth.err.contains(":3:"), "\(synth.err)")
    }

    @Test func theDaemonReloadsItsLexiconOnSIGHUPAndKeepsItWhenTheNewOneIsBroken() async throws {
        let port = 20_000 + Int(getpid() % 2000)
        let lexicon = Self.tmp("pls")
        try Self.writeLexicon(lexicon, alias: "un deux trois quatre cinq six sept huit neuf dix")
        let server = try await Self.serve(
            port: port,
            ["--workers-speech", "1", "--cache-enabled", "false", "--log-level", "warning", "--lexicons", lexicon])
        defer { if server.isRunning { server.terminate() } }
        func spokenBytes() throws -> Int {
            try Self.curl([
                "-s", "-X", "POST", "-H", "Content-Type: application/json", "--data", #"{"text":"Qari","voice":"fr"}"#,
                "http://127.0.0.1:\(port)/v1/speech",
            ]).out.count
        }
        func afterReload(from previous: Int) async throws -> Int {
            kill(server.processIdentifier, SIGHUP)
            var now = previous
            for _ in 0..<50 {
                try await Task.sleep(for: .milliseconds(100))
                now = try spokenBytes()
                if now != previous { break }
            }
            return now
        }
        let long = try spokenBytes()
        try Self.writeLexicon(lexicon, alias: "ka")
        let short = try await afterReload(from: long)
        #expect(short > 0 && short < long / 3, "ten words \(long) bytes, after reload \(short)")
        // A broken file: refused (the daemon says so in its log), the lexicon in use stays.
        let log = Mutex(Data())
        (server.standardError as! Pipe).fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            log.withLock { $0.append(data) }
        }
        try "<lexicon version=\"1.0\"".write(toFile: lexicon, atomically: true, encoding: .utf8)
        kill(server.processIdentifier, SIGHUP)
        func refused() -> Bool { log.withLock { $0.range(of: Data("lexicon reload refused".utf8)) != nil } }
        for _ in 0..<200 where !refused() { try await Task.sleep(for: .milliseconds(50)) }
        #expect(refused(), "\(String(decoding: log.withLock { $0 }, as: UTF8.self))")
        #expect(try spokenBytes() == short)
        #expect(server.isRunning)
        (server.standardError as! Pipe).fileHandleForReading.readabilityHandler = nil
    }

    /// `qari serve --port PORT` with `arguments`, once it answers /health (its stderr kept in a pipe).
    /// A linguist's week: reports from listeners, listed and merged across hosts, exported as a draft lexicon that
    /// `qari lexicon check` accepts; corrected and loaded, it changes what the daemon says.
    @Test func reportsAreListedMergedExportedAndTheCorrectedLexiconChangesTheSpeech() async throws {
        let folder = Self.tmp("week")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let db = folder + "/reports.sqlite"
        let lexicon = folder + "/names-fr.pls"
        try FileManager.default.copyItem(
            atPath: Support.repoDir.appendingPathComponent("lexicons/fr.pls").path, toPath: lexicon)
        let page = "<html lang=fr><body><main><p>Le dossier est délivré à Tanger.</p></main></body></html>"
        let port = 18_500 + Int(getpid() % 400)
        func report(_ start: Int, _ end: Int) throws -> [String: Any] {
            let reading = try Self.reading(of: page, port: port)
            let body = #"{"reading": "\#(reading)", "passage": 0, "start": \#(start), "end": \#(end)}"#
            let answer = try Self.curl([
                "-sf", "-H", "Content-Type: application/json", "-d", body, "http://127.0.0.1:\(port)/v1/reports",
            ])
            #expect(answer.status == 0)
            return try JSONSerialization.jsonObject(with: answer.out) as? [String: Any] ?? [:]
        }
        // The host's configuration names its lexicons; the linguist's file is added to it at the end of the week.
        let config = folder + "/qari.yaml"
        func configure(_ lexicons: [String]) throws {
            try "lexicons:\n\(lexicons.map { "  - \($0)\n" }.joined())".write(
                toFile: config, atomically: true, encoding: .utf8)
        }
        try configure([lexicon])
        let server = try await Self.serve(
            port: port,
            [
                "--config", config, "--reports-db", db, "--cache-enabled", "false", "--workers-speech", "1",
                "--log-level", "warning",
            ])
        defer { server.terminate() }
        let spoken = try report(15, 22)  // "délivré"
        #expect(spoken["word"] as? String == "délivré")
        _ = try report(15, 22)
        _ = try report(25, 31)  // "Tanger"
        // Another host's file, copied while its daemon writes (a plain copy would miss what is in the -wal file):
        // merged, the counts add up.
        let copied = try Self.run(["reports", "copy", "--db", db, "-o", folder + "/other.sqlite"])
        #expect(
            copied.status == 0 && String(decoding: copied.out, as: UTF8.self) == "\(folder)/other.sqlite: 3 reports\n")
        let listed = try Self.run(["reports", "list", "--db", db, "--db", folder + "/other.sqlite", "--json"])
        #expect(listed.status == 0, "\(listed.err)")
        let groups = try JSONSerialization.jsonObject(with: listed.out) as? [[String: Any]] ?? []
        #expect(groups.map { "\($0["word"] ?? "") \($0["count"] ?? "")" } == ["délivré 4", "Tanger 2"])
        #expect((groups.first?["phonemes"] as? [String])?.first == spoken["phonemes"] as? String)
        #expect((groups.first?["contexts"] as? [String])?.first?.contains("est [délivré] à Tanger.") == true)
        let text = String(decoding: try Self.run(["reports", "list", "--db", db]).out, as: UTF8.self)
        #expect(text.hasPrefix("2\tfr\tdélivré\t[["), "\(text)")
        // The draft, for the linguist: valid PLS with the phonemes as spoken.
        let draft = folder + "/draft.pls"
        let exported = try Self.run(["reports", "export", "--db", db, "--voice", "fr", "-o", draft])
        #expect(exported.status == 0, "\(exported.err)")
        #expect(String(decoding: exported.out, as: UTF8.self) == "\(draft): 2 words of voice fr\n")
        #expect(try Self.run(["lexicon", "check", draft]).status == 0)
        let xml = try String(contentsOfFile: draft, encoding: .utf8)
        #expect(xml.contains("<grapheme>délivré</grapheme><phoneme>\(spoken["phonemes"] as? String ?? "?")</phoneme>"))
        // The linguist corrects "délivré" (stress on the first syllable, say), adds the file to the configuration's
        // lexicons and reloads the daemon (SIGHUP, what `systemctl reload` sends): it says the word the new way.
        let corrected = xml.replacingOccurrences(
            of: "<phoneme>\(spoken["phonemes"] as? String ?? "?")</phoneme>", with: "<phoneme>d'elivre</phoneme>")
        let reported = folder + "/reported-fr.pls"
        try corrected.write(toFile: reported, atomically: true, encoding: .utf8)
        #expect(try Self.run(["lexicon", "check", reported]).status == 0)
        try configure([lexicon, reported])
        kill(server.processIdentifier, SIGHUP)
        var now: [String: Any] = [:]
        for _ in 0..<100 {
            now = try report(15, 22)
            if now["phonemes"] as? String != spoken["phonemes"] as? String { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect((now["phonemes"] as? String ?? "").hasPrefix("d'elivr"), "\(now)")
        #expect(
            try Self.run(["reports", "list", "--db", "/nonexistent.sqlite"]).err
                == "qari: cannot read the reports database /nonexistent.sqlite\n")
        // A copy onto the database itself would delete it: refused, the reports kept.
        let onto = try Self.run(["reports", "copy", "--db", db, "-o", folder + "/./reports.sqlite"])
        #expect(onto.status == 1 && onto.err.hasPrefix("qari: the copy must be another file:"), "\(onto.err)")
        #expect(try Self.run(["reports", "list", "--db", db]).status == 0)
        // A linguist in the folder of the files names them bare.
        let here = try Self.run(
            ["reports", "export", "--db", "reports.sqlite", "--voice", "fr", "-o", "here.pls"], in: folder)
        #expect(here.status == 0, "\(here.err)")
        #expect(try Self.run(["lexicon", "check", "here.pls"], in: folder).status == 0)
        let missing = try Self.run(["lexicon", "check", "here.pls", "gone.pls"], in: folder)
        #expect(missing.status == 1 && missing.err == "qari: gone.pls: cannot be read\n", "\(missing.err)")
    }

    /// Daemons on one host share one reports file: two of them, each taking 8 reports at a time, lose none.
    @Test func twoDaemonsWritingOneFileUnderLoadLoseNoReport() async throws {
        let folder = Self.tmp("shared-reports")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let db = folder + "/reports.sqlite"
        let page = "<html lang=fr><body><main><p>Le dossier est délivré à Tanger.</p></main></body></html>"
        let ports = [18_900 + Int(getpid() % 400), 19_300 + Int(getpid() % 400)]
        let options = [
            "--cache-enabled", "false", "--workers-speech", "1", "--log-level", "warning",
            "--limits-reports-per-hour", "100000",
        ]
        var servers: [Process] = []
        defer { servers.forEach { $0.terminate() } }
        // One names the file whole, the other, started in its folder, by its bare name.
        servers.append(try await Self.serve(port: ports[0], options + ["--reports-db", db]))
        servers.append(try await Self.serve(port: ports[1], options + ["--reports-db", "reports.sqlite"], in: folder))
        let each = 150
        let posts = try ports.map { port in
            let body =
                #"{"reading": "\#(try Self.reading(of: page, port: port))", "passage": 0, "start": 15, "end": 22}"#
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments =
                [
                    "-s", "--parallel", "--parallel-max", "8", "-w", "%{http_code}\\n",
                    "-H", "Content-Type: application/json", "-d", body,
                ] + (0..<each).flatMap { _ in ["-o", "/dev/null", "http://127.0.0.1:\(port)/v1/reports"] }
            let out = Pipe()
            curl.standardOutput = out
            curl.standardError = FileHandle.nullDevice
            try curl.run()
            return (curl, out)
        }
        var created = 0
        for (curl, out) in posts {
            let codes = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            curl.waitUntilExit()
            let lines = codes.split(separator: "\n")
            #expect(lines.count == each)
            #expect(Set(lines) == ["201"], "\(Set(lines))")
            created += lines.filter { $0 == "201" }.count
        }
        let listed = try Self.run(["reports", "list", "--db", db, "--json"])
        #expect(listed.status == 0, "\(listed.err)")
        let groups = try JSONSerialization.jsonObject(with: listed.out) as? [[String: Any]] ?? []
        #expect(groups.map { "\($0["word"] ?? "")" } == ["délivré"])
        #expect(groups.compactMap { $0["count"] as? Int }.reduce(0, +) == created)
        #expect(created == ports.count * each)
        // No address is kept: the client's address is in no byte of the database or its log.
        var bytes = Data()
        for file in [db, db + "-wal"] where FileManager.default.fileExists(atPath: file) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: file)))
        }
        #expect(bytes.range(of: Data("délivré".utf8)) != nil, "the reports are not where the test looks")
        #expect(bytes.range(of: Data("127.0.0.1".utf8)) == nil, "the reports file holds the client's address")
    }

    static func serve(port: Int, _ arguments: [String], in folder: String? = nil) async throws -> Process {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.qari)
        if let folder { server.currentDirectoryURL = URL(fileURLWithPath: folder) }
        server.arguments = ["serve", "--port", "\(port)"] + arguments
        server.standardError = Pipe()
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
