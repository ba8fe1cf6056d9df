import Foundation
import Testing

/// docs/design.md against Package.swift: a newcomer's map of the modules names every module and no other.
@Suite struct DesignDocTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The source modules Package.swift declares (`.target`, `.systemLibrary`, `.executableTarget` outside Tests/).
    static func declaredModules() throws -> Set<String> {
        let manifest = try String(contentsOf: repo.appendingPathComponent("Package.swift"), encoding: .utf8)
        let pattern = try Regex(#"\.(target|systemLibrary|executableTarget)\(\s*name:\s*"([A-Za-z]+)"([^)]*)"#)
        var names: Set<String> = []
        for match in manifest.matches(of: pattern) {
            let rest = match.output[3].substring.map(String.init) ?? ""
            guard !rest.contains("path: \"Tests/"), !rest.contains("path: \"Fuzz/") else { continue }
            if let name = match.output[2].substring { names.insert(String(name)) }
        }
        return names
    }

    /// The Layout section's code blocks: the module graph and the source layout.
    static func layoutBlocks() throws -> [String] {
        let design = try String(contentsOf: repo.appendingPathComponent("docs/design.md"), encoding: .utf8)
        guard let start = design.range(of: "\n## Layout\n") else { return [] }
        let section = design[start.upperBound...]
        let body = section.range(of: "\n## ").map { section[..<$0.lowerBound] } ?? section
        return body.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    @Test func theSourceLayoutNamesExactlyThePackagesModules() throws {
        let declared = try Self.declaredModules()
        #expect(declared.contains("QariText") && declared.contains("CEspeakNG") && declared.contains("qari"))
        let blocks = try Self.layoutBlocks()
        #expect(blocks.count == 2, "the Layout section has a graph and a source layout")
        let listed = Set(
            (blocks.last ?? "").split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("Sources/") else { return nil }
                return line.dropFirst("Sources/".count).split(separator: " ").first.map(String.init)
            })
        #expect(
            listed == declared,
            "missing: \(declared.subtracting(listed)), not a module: \(listed.subtracting(declared))")
    }

    @Test func theModuleGraphNamesExactlyThePackagesModules() throws {
        let declared = try Self.declaredModules()
        let graph = try Self.layoutBlocks().first ?? ""
        let named = Set(graph.matches(of: try Regex("[A-Za-z]+")).map { String(graph[$0.range]) })
        #expect(
            named == declared, "missing: \(declared.subtracting(named)), not a module: \(named.subtracting(declared))")
    }
}
