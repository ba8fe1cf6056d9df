import Foundation
import QariTestSupport
import Testing

@testable import QariServer

/// The docs, `qari serve --help` and the example configuration say what `Settings` declares, and nothing else.
@Suite struct SettingsDocsTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: Support.repoDir.appendingPathComponent(path), encoding: .utf8)
    }

    /// `--flags` in the docs that are `qari serve`'s: in api.md every one (it documents the daemon); in
    /// operations.md those of `qari serve` lines and of backticked spans that are not another command's.
    static func serveFlags(in text: String, all: Bool) throws -> Set<String> {
        let flag = try Regex(#"--[a-z][a-z0-9-]*"#)
        var spans: [Substring] = []
        for line in text.split(separator: "\n") {
            if all || line.contains("qari serve") {
                spans.append(line)
                continue
            }
            let parts = line.split(separator: "`", omittingEmptySubsequences: false)
            spans += parts.indices.filter { $0 % 2 == 1 }.map { parts[$0] }.filter { !$0.hasPrefix("qari ") }
        }
        return Set(spans.flatMap { $0.matches(of: flag).map { String($0.output[0].substring ?? "") } })
    }

    @Test func everyFlagTheDocsNameIsASetting() throws {
        let known = Set(Settings.all.map(\.flag) + ["--config", "--check-config", "--help"])
        let api = try Self.serveFlags(in: Self.text("docs/api.md"), all: true)
        let operations = try Self.serveFlags(in: Self.text("docs/operations.md"), all: false)
        #expect(api.subtracting(known).isEmpty, "docs/api.md names \(api.subtracting(known))")
        #expect(operations.subtracting(known).isEmpty, "docs/operations.md names \(operations.subtracting(known))")
        #expect(operations.contains("--reports-db"), "the reading of operations.md found no setting")
    }

    @Test func serveHelpListsEverySettingWithItsDefault() {
        let help = Settings.help
        for setting in Settings.all {
            #expect(help.contains("\n\(setting.flag): \(setting.help) (default: "), "--help lacks \(setting.key)")
            #expect(!setting.help.isEmpty && !setting.shownDefault.isEmpty, "\(setting.key) is undescribed")
        }
        #expect(Set(Settings.all.map(\.key)).count == Settings.all.count, "a key declared twice")
    }

    /// Every key is in the example, set or as a commented `# key:` line, and the example has no other.
    @Test func theExampleConfigurationNamesEverySetting() throws {
        let keys = try Support.exampleConfigurationKeys()
        let declared = Set(Settings.all.map(\.key))
        #expect(
            keys == declared,
            "only in the file: \(keys.subtracting(declared)); not in it: \(declared.subtracting(keys))")
    }

    /// A broken rule is told under its key, every offender at once.
    @Test func aBrokenRuleNamesItsKey() {
        var c = ServerConfiguration(port: 0)
        c.access.readingsBurst = 0
        c.access.trustedProxies = ["10.0.0.0/8", "nginx", "proxy.local"]
        c.connections.idleTimeout = -1
        c.log.format = "xml"
        let problems = c.problems
        for (setting, value) in [
            (Settings.port.key, "0"), (Settings.readingsBurst.key, "must be positive"),
            (Settings.proxiesTrusted.key, "nginx, proxy.local are not"), (Settings.idleTimeout.key, "must be positive"),
            (Settings.logFormat.key, "must be text or json"),
        ] {
            #expect(
                problems.contains { $0.hasPrefix(setting) && $0.contains(value) }, "no \(setting) in \(problems)")
        }
        #expect(ServerConfiguration().problems.isEmpty, "\(ServerConfiguration().problems)")
    }
}
