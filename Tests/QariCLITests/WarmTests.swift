import Foundation
import Glibc
import QariTestSupport
import Testing

/// `qari warm` as an operator runs it: a portal stand-in serving a sitemap, its pages and a robots.txt, and a daemon.
@Suite struct WarmTests {
    /// A folder served over HTTP by Python's http.server, the portal stand-in.
    static func portal(_ folder: String, port: Int) async throws -> Process {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, "\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        var up = false
        for _ in 0..<100 where !up {
            try await Task.sleep(for: .milliseconds(100))
            up = (try? CLITests.curl(["-sf", "http://127.0.0.1:\(port)/robots.txt"]).status) == 0
        }
        try #require(up)
        return server
    }

    /// A test's ports (a range no other test of this process picks from: they run at once, with the same pid) and
    /// its folder, with the portal's `site/` in it; the folder is removed by the caller.
    static func workspace(_ name: String, ports: Int) throws -> (daemon: Int, portal: Int, folder: String, site: String)
    {
        let base = ports + Int(getpid() % 2000) * 2
        let folder = NSTemporaryDirectory() + "qari-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/site", withIntermediateDirectories: true)
        return (base, base + 1, folder, folder + "/site")
    }

    /// Ends a child for sure: SIGKILL, because a test process can hand its children SIGTERM and SIGINT ignored
    /// (a signal a service here ignores to watch it stays ignored across exec).
    static func kill(_ process: Process) {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Whether the daemon on `port` already holds the reading of `html`.
    static func cached(_ html: String, port: Int) throws -> Bool {
        let answer = try CLITests.curl([
            "-sf", "-H", "Content-Type: text/html", "--data-binary", "@" + html, "http://127.0.0.1:\(port)/v1/readings",
        ])
        return (try JSONSerialization.jsonObject(with: answer.out) as? [String: Any])?["cached"] as? Bool == true
    }

    @Test func warmMakesEveryReadingResumesAndReportsAFailingPage() async throws {
        let (daemonPort, portalPort, folder, site) = try Self.workspace("warm", ports: 24_000)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: site + "/compte", withIntermediateDirectories: true)
        let samples = Support.samplesDir.appendingPathComponent("pages").path
        let pages = ["sample-fr.html", "sample-ar-zgh.html", "sample-zgh.html", "form-fr.html"]
        for page in pages { try FileManager.default.copyItem(atPath: samples + "/" + page, toPath: site + "/" + page) }
        try FileManager.default.copyItem(atPath: samples + "/sample-fr-others.html", toPath: site + "/compte/x.html")
        try "User-agent: *\nDisallow: /compte/\nCrawl-delay: 0.2\n".write(
            toFile: site + "/robots.txt", atomically: true, encoding: .utf8)
        let portal = "http://127.0.0.1:\(portalPort)"
        let locs = (pages + ["absente.html", "compte/x.html"]).map { "<url><loc>\(portal)/\($0)</loc></url>" }
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\(locs.joined())</urlset>
        """.write(toFile: site + "/sitemap.xml", atomically: true, encoding: .utf8)
        let web = try await Self.portal(site, port: portalPort)
        defer { Self.kill(web) }
        let daemon = try await CLITests.serve(
            port: daemonPort, ["--cache-directory", folder + "/cache", "--workers-speech", "1"])
        defer { daemon.terminate() }
        let state = folder + "/state"
        let warm = [
            "warm", "--daemon", "http://127.0.0.1:\(daemonPort)", "--delay", "0", "--connections", "1",
            "--state", state, portal + "/sitemap.xml",
        ]

        // Stopped dead once a page is done (SIGKILL, as a crash or an OOM kill): the pages it finished are in the
        // state file.
        let first = Process()
        first.executableURL = URL(fileURLWithPath: CLITests.qari)
        // Two seconds after each page fetched, so that it is stopped with pages left even when this process's
        // tasks wait their turn behind the other tests' (every suite runs at once on two cores).
        first.arguments = warm.map { $0 == "0" ? "2" : $0 }
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let deadline = ContinuousClock.now + .seconds(120)
        func done() -> [String] {
            ((try? String(contentsOfFile: state, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        while done().isEmpty && first.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        Self.kill(first)
        let before = done()
        #expect(!before.isEmpty)

        // The second run goes on from there: the rest made, the missing page reported, the private one skipped.
        let second = try CLITests.run(warm)
        let summary = String(decoding: second.out, as: UTF8.self)
        #expect(second.status == 1, "\(summary) \(second.err)")
        #expect(summary.contains("pages 6 (\(before.count) done before)"), "\(summary) after \(before)")
        #expect(summary.contains("failed: \(portal)/absente.html: the page answered 404"), "\(summary)")
        #expect(
            summary.contains("skipped: \(portal)/compte/x.html: robots.txt disallows it")
                || before.contains(portal + "/compte/x.html"), "\(summary)")
        #expect(before.count < 5, "the first run was stopped only after every page: \(before)")
        #expect(summary.contains("failed 1"), "\(summary)")
        // The site's Crawl-delay is honoured, and said once.
        #expect(
            second.err.components(separatedBy: "asks 0.2 s between pages (Crawl-delay)").count == 2, "\(second.err)")
        // Every page warmed is cached: the reader button's first click plays at once.
        for page in pages { #expect(try Self.cached(site + "/" + page, port: daemonPort), "\(page)") }
        // A third run fetches nothing it did before; --fresh warms everything again, reusing the daemon's store.
        let third = try CLITests.run(warm + ["--fresh"])
        let again = String(decoding: third.out, as: UTF8.self)
        #expect(again.contains("made 0, reused 4"), "\(again)")

        // Saved HTML files and a list of addresses are sources too; a bad source is one line and exit 64.
        let list = folder + "/pages.txt"
        try "# pages\n\(portal)/sample-fr.html\n".write(toFile: list, atomically: true, encoding: .utf8)
        let files = try CLITests.run(
            [
                "warm", "--daemon", "http://127.0.0.1:\(daemonPort)", "--state", folder + "/s2", list,
                samples + "/sample-fr-strict.html",
            ])
        #expect(String(decoding: files.out, as: UTF8.self).contains("pages 2 (0 done before)"), "\(files.err)")
        #expect(files.status == 0, "\(files.err)")
        let bad = try CLITests.run(["warm", "--state", folder + "/s3", folder + "/nothing.xml"])
        #expect(bad.status != 0 && bad.err.contains("nothing.xml: cannot read it"), "\(bad.err)")
    }

    /// The daemon warms a sitemap by itself, with workers listeners leave idle, and again after a lexicon reload.
    @Test func theDaemonWarmsItsSitemapAndAgainAfterALexiconReload() async throws {
        let (daemonPort, portalPort, folder, site) = try Self.workspace("daemon-warm", ports: 28_000)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let samples = Support.samplesDir.appendingPathComponent("pages").path
        let pages = ["sample-fr.html", "sample-zgh.html"]
        for page in pages { try FileManager.default.copyItem(atPath: samples + "/" + page, toPath: site + "/" + page) }
        try "".write(toFile: site + "/robots.txt", atomically: true, encoding: .utf8)
        let locs = pages.map { "<url><loc>http://127.0.0.1:\(portalPort)/\($0)</loc></url>" }.joined()
        try "<urlset>\(locs)</urlset>".write(toFile: folder + "/sitemap.xml", atomically: true, encoding: .utf8)
        let lexicon = folder + "/fr.pls"
        func writeLexicon(_ alias: String) throws {
            try """
            <?xml version="1.0" encoding="UTF-8"?>
            <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="fr">
            <lexeme><grapheme>certificat</grapheme><alias>\(alias)</alias></lexeme></lexicon>
            """.write(toFile: lexicon, atomically: true, encoding: .utf8)
        }
        try writeLexicon("certificat")
        let web = try await Self.portal(site, port: portalPort)
        defer { Self.kill(web) }
        let daemon = try await CLITests.serve(
            port: daemonPort,
            [
                "--cache-directory", folder + "/cache", "--workers-speech", "1", "--warm-sitemap",
                folder + "/sitemap.xml", "--warm-delay", "0", "--lexicons", lexicon,
            ])
        defer { daemon.terminate() }
        func metric(_ name: String) throws -> Double {
            let text = String(
                decoding: try CLITests.curl(["-sf", "http://127.0.0.1:\(daemonPort)/metrics"]).out, as: UTF8.self)
            return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
                Double($0.split(separator: " ")[1])
            } ?? -1
        }
        func until(_ what: String, _ condition: () throws -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(180)
            while try !condition() {
                guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await until("the first warm") { try metric("qari_warm_pages_done") == 2 && metric("qari_warms_total") == 1 }
        for page in pages { #expect(try Self.cached(site + "/" + page, port: daemonPort), "\(page)") }
        let made = try metric(#"qari_passages_total{outcome="made"}"#)
        #expect(made > 0)
        // A lexicon reload starts a warm that makes only the passages holding the changed word.
        try writeLexicon("certificat officiel")
        Glibc.kill(daemon.processIdentifier, SIGHUP)
        try await until("the warm after the reload") {
            try metric("qari_warms_total") == 2 && metric("qari_warm_pages_done") == 2
        }
        try await until("its passages made") { try metric(#"qari_passages_total{outcome="made"}"#) > made }
        for page in pages { #expect(try Self.cached(site + "/" + page, port: daemonPort), "\(page)") }
        #expect(try metric("qari_warm_failed_total") == 0)
    }
}

extension WarmTests {
    /// A listener's page is read in the middle of a warm of 200 pages on one speech worker: the warm's pieces take
    /// only the worker the listener leaves idle, so the listener does not wait for the warm to end.
    @Test func aListenerIsServedInTheMiddleOfAWarmOf200Pages() async throws {
        let (daemonPort, portalPort, folder, site) = try Self.workspace("warm-200", ports: 32_000)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var locs = ""
        for n in 0..<200 {
            let html = """
                <html lang="fr"><body><main><h1>Démarche numéro \(n)</h1><p>Le dossier \(n) se dépose au guichet de la
                commune, avec une pièce d'identité et un justificatif de domicile de moins de trois mois.</p></main>
                </body></html>
                """
            try html.write(toFile: site + "/page-\(n).html", atomically: true, encoding: .utf8)
            locs += "<url><loc>http://127.0.0.1:\(portalPort)/page-\(n).html</loc></url>"
        }
        try "".write(toFile: site + "/robots.txt", atomically: true, encoding: .utf8)
        try "<urlset>\(locs)</urlset>".write(toFile: folder + "/sitemap.xml", atomically: true, encoding: .utf8)
        let web = try await Self.portal(site, port: portalPort)
        defer { Self.kill(web) }
        // The listener is another client than the warm (behind a proxy the daemon trusts): each has its own limits.
        let daemon = try await CLITests.serve(
            port: daemonPort,
            ["--cache-directory", folder + "/cache", "--workers-speech", "1", "--proxies-trusted", "127.0.0.1"])
        defer { daemon.terminate() }
        let state = folder + "/state"
        let warm = Process()
        warm.executableURL = URL(fileURLWithPath: CLITests.qari)
        warm.arguments = [
            "warm", "--daemon", "http://127.0.0.1:\(daemonPort)", "--delay", "0", "--connections", "2", "--state",
            state, folder + "/sitemap.xml",
        ]
        warm.standardOutput = FileHandle.nullDevice
        warm.standardError = FileHandle.nullDevice
        try warm.run()
        defer { Self.kill(warm) }
        func done() -> Int {
            ((try? String(contentsOfFile: state, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while done() < 3 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(done() >= 3, "the warm never got under way")
        // A listener's page, read whole, while the warm goes on.
        let page = Support.samplesDir.appendingPathComponent("pages/sample-fr.html").path
        let citizen = "X-Forwarded-For: 198.51.100.7"
        let answer = try CLITests.curl([
            "-sf", "-H", citizen, "-H", "Content-Type: text/html", "--data-binary", "@" + page,
            "http://127.0.0.1:\(daemonPort)/v1/readings",
        ])
        let doc = try JSONSerialization.jsonObject(with: answer.out) as? [String: Any]
        let ogg = try #require((doc?["audio"] as? [String: String])?["ogg"])
        let audio = try CLITests.curl(["-sf", "-H", citizen, "http://127.0.0.1:\(daemonPort)\(ogg)"])
        #expect(audio.status == 0 && audio.out.prefix(4) == Data("OggS".utf8))
        let warmed = done()
        #expect(warm.isRunning && warmed < 200, "the listener waited for the warm: \(warmed) pages were done")
    }
}

/// A wait that ran past its deadline.
struct TimedOut: Error {
    var what: String
}
