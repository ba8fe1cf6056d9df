import ArgumentParser
import Configuration
import Foundation
import Logging
import QariReading
import QariServer
import QariSpeech

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP daemon.", discussion: Settings.help)

    @Option(help: "A YAML or JSON configuration file (see deploy/qari.example.yaml).") var config: String?
    @Flag(help: "Check the configuration, print the effective settings (API keys as fingerprints), and exit.")
    var checkConfig = false
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Settings as --key value (listed below).", valueName: "--key value"))
    var settings: [String] = []

    func run() async throws {
        ProcessMemory.limitArenas(2)
        let s = try await ServeSettings.load(flags: settings, file: config)
        if checkConfig {
            print(s.effective())
            return
        }
        let configuration = s.configuration
        let level = Logger.Level(rawValue: configuration.log.level) ?? .info
        let json = configuration.log.format == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        // On SIGHUP the settings are read again for their lexicons: a file added to the configuration is read.
        let (flags, file) = (settings, config)
        do {
            let app = try await buildApplication(
                configuration: configuration, logger: Logger(label: "qari"),
                lexicons: { try await ServeSettings.load(flags: flags, file: file).configuration.lexicons })
            try await app.runService()
        } catch let error as StoreUnwritable {
            let key = ServeSettings.key {
                error.store == .readingCache ? $0.cache.directory : $0.reports.path
            }
            let setting = key.map {
                " (set by \($0): \(ServeSettings.flag($0)) or \(ServeSettings.environmentName($0)))"
            }
            Qari.fail("\(error)\(setting ?? "")", status: EX_CONFIG)
        }
    }
}

/// sysexits.h: the configuration is wrong (a store that cannot be written).
private let EX_CONFIG: Int32 = 78

extension ServeSettings {
    /// The key whose value becomes `value` of the configuration: each key read as a value naming itself, and the
    /// one that comes out is it (so a key's name is written only where the settings declare it).
    static func key(of value: (ServerConfiguration) -> String?) -> String? {
        let marker = "/qari-setting/"
        let named = Dictionary(uniqueKeysWithValues: keys.map { (environmentName($0), marker + $0) })
        let provider = EnvironmentVariablesProvider(environmentVariables: named).prefixKeys(with: ["qari"])
        guard let found = value(ServerConfiguration(reader: ConfigReader(providers: [provider]))),
            found.hasPrefix(marker)
        else { return nil }
        return String(found.dropFirst(marker.count))
    }
}
