import Configuration
import Foundation
import QariServer
import Yams

/// The daemon's settings from three places, strongest first: `qari serve`'s flags, `QARI_…` environment variables,
/// and the configuration file (`--config`, YAML or JSON; `deploy/qari.example.yaml` explains every key).
///
/// One key, three spellings, no list of its own: the keys are those `Settings` declares.
struct ServeSettings {
    var configuration: ServerConfiguration
    var report: SettingsReport

    static var keys: [String] { Settings.all.map(\.key) }

    /// The settings of the flags (`--key value`, `--key=value`; a repeated flag adds to a list), the environment
    /// and the file; every problem found at once, not only the first.
    static func load(
        flags: [String], file: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> ServeSettings {
        var problems: [String] = []
        let byFlag = Dictionary(uniqueKeysWithValues: Settings.all.map { ($0.flag, $0) })
        var given: [String: [String]] = [:]  // by variable name
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
            given[key.environmentName, default: []].append(value)
        }
        // Flags read as the environment reads its variables: the same keys, the same conversions.
        let flagVariables = given.mapValues { $0.joined(separator: ",") }
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

    /// The effective settings, one `key = value` a line in the order `Settings` declares them, secrets shown only
    /// by their fingerprints.
    func effective() -> String {
        let read = Dictionary(report.entries.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        return Settings.all.map { setting in
            let entry = read[setting.key]
            let value: String
            if setting.key == Settings.cacheDirectory.key, configuration.cache.directory == nil {
                value = "(off)"
            } else if setting.isSecret {
                let keys = (entry?.value ?? "").split(separator: ",").map {
                    AccessConfiguration.fingerprint(String($0))
                }
                value = keys.isEmpty ? "(none)" : keys.joined(separator: ", ")
            } else {
                value = entry?.value.map { $0.isEmpty ? "(none)" : $0 } ?? "(default)"
            }
            return "\(setting.key) = \(value)"
        }.joined(separator: "\n")
    }

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
