import Foundation

extension Support {
    /// The setting keys `deploy/qari.example.yaml` names, set or as a commented `# key:` line, dotted
    /// (`private.ttl`): a key with a value, or with a list under it, is a setting; one with keys under it a section.
    public static func exampleConfigurationKeys() throws -> Set<String> {
        let text = try String(
            contentsOf: repoDir.appendingPathComponent("deploy/qari.example.yaml"), encoding: .utf8)
        let keyLine = try Regex(#"^( *)(?:# ?)?([a-z_]+):(.*)$"#)
        var keys: Set<String> = []
        var parents: [(indent: Int, key: String, isList: Bool)] = []
        for line in text.split(separator: "\n") {
            if line.drop(while: { $0 == " " }).hasPrefix("- ") {
                // Its first item only: the key above becomes a setting, and is no section of the next items.
                if let list = parents.last, list.indent < line.prefix(while: { $0 == " " }).count, !list.isList {
                    keys.insert(parents.map(\.key).joined(separator: "."))
                    parents[parents.count - 1].isList = true
                }
                continue
            }
            guard let m = try keyLine.wholeMatch(in: String(line)) else { continue }
            let indent = m.output[1].substring?.count ?? 0
            let key = String(m.output[2].substring ?? "")
            let rest = (m.output[3].substring ?? "").split(separator: "#").first?.trimmingCharacters(in: .whitespaces)
            parents.removeAll { $0.indent >= indent }
            if rest?.isEmpty ?? true {
                parents.append((indent, key, false))
            } else {
                keys.insert((parents.map(\.key) + [key]).joined(separator: "."))
            }
        }
        return keys
    }
}
