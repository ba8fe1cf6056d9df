import Configuration
import Foundation
import QariServer
import Yams

/// The daemon's settings from three places, strongest first: `qari serve`'s flags, `QARI_…` environment variables,
/// and the configuration file (`--config`, YAML or JSON; `deploy/qari.example.yaml` explains every key).
///
/// One key, three spellings, no list of its own: `cache.size` is `--cache-size` and `QARI_CACHE_SIZE`. The keys are
/// those `ServerConfiguration(reader:)` reads.
struct ServeSettings {
    var configuration: ServerConfiguration
    var report: SettingsReport

    /// Every key, with its default, in the order the configuration reads them.
    static let defaults: [SettingsReport.Entry] = {
        let report = SettingsReport()
        let empty = EnvironmentVariablesProvider(environmentVariables: [:])
        _ = ServerConfiguration(reader: ConfigReader(providers: [empty], accessReporter: report))
        return report.entries
    }()

    static var keys: [String] { defaults.map(\.key) }

    /// `cache.size` → `--cache-size`.
    static func flag(_ key: String) -> String {
        "--" + key.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
    }

    /// `cache.size` → `QARI_CACHE_SIZE`.
    static func environmentName(_ key: String) -> String {
        "QARI_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// The settings of the flags (`--key value`, `--key=value`; a repeated flag adds to a list), the environment
    /// and the file; every problem found at once, not only the first.
    static func load(
        flags: [String], file: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> ServeSettings {
        var problems: [String] = []
        let byFlag = Dictionary(uniqueKeysWithValues: keys.map { (flag($0), $0) })
        var given: [String: [String]] = [:]
        var i = 0
        while i < flags.count {
            let argument = flags[i]
            i += 1
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard let key = byFlag[parts[0]] else {
                problems.append(
                    argument.hasPrefix("--")
                        ? "unknown option \(parts[0]) (qari serve --help lists the settings)"
                        : "unexpected argument \(argument)")
                continue
            }
            var value = parts.count == 2 ? parts[1] : nil
            if value == nil, i < flags.count, !flags[i].hasPrefix("--") {
                value = flags[i]
                i += 1
            }
            guard let value else {
                problems.append("\(parts[0]) needs a value")
                continue
            }
            given[key, default: []].append(value)
        }
        // Flags read as the environment reads its variables: the same keys, the same conversions.
        let flagVariables = Dictionary(
            uniqueKeysWithValues: given.map { (environmentName($0.key), $0.value.joined(separator: ",")) })
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: flagVariables).prefixKeys(with: ["qari"]),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ["qari"]),
        ]
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError("cannot read the configuration file \(file)")
            }
            let yaml = file.hasSuffix(".yaml") || file.hasSuffix(".yml")
            let tree: Any?
            do {
                tree =
                    yaml
                    ? try Yams.load(yaml: String(decoding: data, as: UTF8.self))
                    : try JSONSerialization.jsonObject(with: data)
            } catch {
                throw CLIError("\(file) is not \(yaml ? "YAML" : "JSON"): \(Self.describe(error))")
            }
            guard let object = tree as? [String: Any] else {
                throw CLIError("\(file): the top level must be a mapping")
            }
            for key in leaves(object) where !keys.contains(key) {
                problems.append("\(file): unknown key \"\(key)\"")
            }
            if yaml {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: .init(file)))
            } else {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
            }
        }
        let report = SettingsReport()
        let configuration = ServerConfiguration(reader: ConfigReader(providers: providers, accessReporter: report))
        problems += report.problems.map(Self.shortened) + configuration.problems
        if !problems.isEmpty { throw CLIError(problems.joined(separator: "\n")) }
        return ServeSettings(configuration: configuration, report: report)
    }

    /// The effective settings, one `key = value` a line, secrets shown only by their fingerprints.
    func effective() -> String {
        report.entries.map { entry in
            let value: String
            if entry.key == "cache.directory", configuration.cache.directory == nil {
                value = "(off)"
            } else if entry.isSecret {
                let keys = (entry.value ?? "").split(separator: ",").map { AccessConfiguration.fingerprint(String($0)) }
                value = keys.isEmpty ? "(none)" : keys.joined(separator: ", ")
            } else {
                value = entry.value.map { $0.isEmpty ? "(none)" : $0 } ?? "(default)"
            }
            return "\(entry.key) = \(value)"
        }.joined(separator: "\n")
    }

    /// What `qari serve --help` says of the settings.
    ///
    /// A constant: the argument parser reads every command's help at each start, workers' too, and reading the
    /// defaults there cost each worker 3.5 MB.
    static let help = """
        Settings come from the flags, then QARI_… environment variables, then the --config file (YAML or \
        JSON); deploy/qari.example.yaml explains every key. Each key is one flag and one variable: cache.size is \
        --cache-size and QARI_CACHE_SIZE, limits.readings_per_minute is --limits-readings-per-minute; a list \
        takes a repeated flag or commas. `qari serve --check-config` prints every key with the value it would \
        run with.
        """

    /// Dotted paths of the leaves of a JSON object (arrays are leaves).
    static func leaves(_ object: [String: Any], prefix: String = "") -> [String] {
        object.flatMap { key, value -> [String] in
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value as? [String: Any] { return leaves(nested, prefix: path) }
            return [path]
        }.sorted()
    }

    static func describe(_ error: any Error) -> String { shortened("\(error)") }

    static func shortened(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
