import Foundation
import QariSpeech
import QariTestSupport
import QariText
import Synchronization
import Testing

/// A linguist's tools as a person runs them: lexicon checks, a daemon reloading its lexicons, and listeners'
/// reports listed, merged, exported and corrected.
extension CLITests {
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

    /// The issue 33 link, as `qari normalize` shows a linguist what the French voice says: no "slash", no "tiret",
    /// no number inside the address read as a quantity; its host, its path's words, its digits in pairs.
    @Test func normalizeReadsAnAddressAsAPersonWould() throws {
        let link = "https://www.lematin.ma/actualite/article/Les-guichets-uniques-ouvrent-14848382.php"
        let r = try Self.run(["normalize", "--voice", "fr", "--lexicon", "none", "Lire : \(link)\n\(link)"])
        #expect(r.status == 0, "\(r.err)")
        let out = String(decoding: r.out, as: UTF8.self)
        for word in ["slash", "tiret", "millions", "www", "php"] { #expect(!out.contains(word), "\(out)") }
        #expect(
            out == """
                Lire : lematin point ma, actualite, article, les guichets uniques ouvrent quatorze quatre-vingt-quatre \
                quatre-vingt-trois quatre-vingt-deux
                lien vers lematin point ma

                """)
    }
}
