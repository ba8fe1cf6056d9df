import ArgumentParser
import Configuration
import Foundation
import Logging
import QariReading
import QariServer
import QariSpeech
import QariWorkers

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP daemon.", discussion: Settings.help)

    @Option(
        help: ArgumentHelp(
            "A YAML or JSON configuration file (see deploy/qari.example.yaml).",
            discussion: "Default: \(Self.installedConfiguration) when installed from the package and it exists."))
    var config: String?
    @Flag(help: "Check the configuration, print the effective settings (API keys as fingerprints), and exit.")
    var checkConfig = false
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Settings as --key value (listed below).", valueName: "--key value"))
    var settings: [String] = []

    /// The package's configuration file (a conffile, from deploy/qari.example.yaml).
    static let installedConfiguration = "/etc/qari/qari.yaml"

    /// The package's configuration for an installed `qari`; none for a build in a clone.
    static func defaultConfiguration() -> String? {
        guard installedPrefix() != nil, access(installedConfiguration, R_OK) == 0 else { return nil }
        return installedConfiguration
    }

    func run() async throws {
        ProcessMemory.limitArenas(2)
        let config = config ?? Self.defaultConfiguration()
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
            // The daemon's own address for its warming: loopback when it listens on every address.
            let host = ["0.0.0.0", "::", ""].contains(configuration.host) ? "127.0.0.1" : configuration.host
            let own = URL(string: "http://\(host.contains(":") ? "[\(host)]" : host):\(configuration.port)")!
            let app = try await buildApplication(
                configuration: configuration, logger: Logger(label: "qari"),
                lexicons: { try await ServeSettings.load(flags: flags, file: file).configuration.lexicons },
                warming: { readings in
                    DaemonWarming(
                        settings: configuration.warm, readings: readings, daemon: own, logger: Logger(label: "qari"))
                })
            try await app.runService()
        } catch let error as StoreUnwritable {
            let setting = (error.store == .readingCache ? Settings.cacheDirectory : Settings.reportsDB).description
            Qari.fail(
                "\(error) (set by \(setting.key): \(setting.flag) or \(setting.environmentName))", status: EX_CONFIG)
        }
    }
}

/// sysexits.h: the configuration is wrong (a store that cannot be written).
private let EX_CONFIG: Int32 = 78
