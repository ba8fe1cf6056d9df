import Foundation

/// The reader button's ES modules (`Public/qari/*.js`) joined into the one classic script a portal loads.
///
/// Portals include `qari.js` with a plain `<script defer>` under `script-src 'self'`, so the modules are resolved
/// here, once: ordered by their imports, `import` lines and `export` keywords taken out, all in one function scope.
/// The daemon serves these bytes and `make sri` hashes them (`qari widget-script`), so both see the same file.
public enum WidgetBundle {
    /// Why the modules do not join.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// One module: its file name, imports (module → names), top-level names, exported names and body.
    struct Module {
        var name: String
        var imports: [(from: String, names: [String])] = []
        var declared: [String] = []
        var exported: Set<String> = []
        var body: [Substring] = []
    }

    /// The joined script of the `.js` files in `folder`; nil without any.
    public static func script(_ folder: String) throws -> [UInt8]? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".js") }
        guard !names.isEmpty else { return nil }
        var sources: [String: String] = [:]
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
                throw Failure(description: "cannot read \(name)")
            }
            sources[name] = String(decoding: data, as: UTF8.self)
        }
        return Array(try join(sources).utf8)
    }

    /// The modules `sources` (file name → text) joined: dependencies first, ties in the order of their names.
    public static func join(_ sources: [String: String]) throws -> String {
        var modules: [String: Module] = [:]
        for (name, text) in sources { modules[name] = try parse(name, text) }
        var owner: [String: String] = [:]
        for module in modules.values.sorted(by: { $0.name < $1.name }) {
            for name in module.declared {
                if let other = owner[name] {
                    throw Failure(description: "\(other) and \(module.name) both declare \(name) at top level")
                }
                owner[name] = module.name
            }
        }
        for module in modules.values {
            for (from, names) in module.imports {
                guard let source = modules[from] else {
                    throw Failure(description: "\(module.name) imports ./\(from), which does not exist")
                }
                for name in names where !source.exported.contains(name) {
                    throw Failure(description: "\(module.name) imports \(name) from \(from), which does not export it")
                }
            }
        }
        var script = "/* Qari's reader button: Public/qari/*.js joined in the order of their imports. */\n"
        script += "(function () {\n'use strict';\n"
        for name in try order(modules) {
            script += "// --- \(name)\n" + modules[name]!.body.joined(separator: "\n") + "\n"
        }
        return script + "})();\n"
    }

    /// Module names, each after those it imports; a cycle is an error that names its modules.
    static func order(_ modules: [String: Module]) throws -> [String] {
        var done: [String] = []
        var left = Set(modules.keys)
        while !left.isEmpty {
            let ready = left.filter { name in modules[name]!.imports.allSatisfy { !left.contains($0.from) } }.min()
            guard let ready else {
                throw Failure(description: "an import cycle among \(left.sorted().joined(separator: ", "))")
            }
            done.append(ready)
            left.remove(ready)
        }
        return done
    }

    /// A module's imports (`import { a, b } from './x.js';`, over several lines if need be), its top-level
    /// declarations (at the start of a line) and its body without the imports, `export` keywords and comment lines.
    static func parse(_ name: String, _ text: String) throws -> Module {
        var module = Module(name: name)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        if lines.last == "" { lines.removeLast() }
        while let line = lines.popFirst() {
            if line.hasPrefix("import ") || line == "import {" {
                var statement = String(line)
                while !statement.contains(" from "), let next = lines.popFirst() { statement += " " + next }
                module.imports.append(try parseImport(statement, in: name))
                continue
            }
            // Comments that are whole lines stay in the sources, not in what every page loads (a fifth of its
            // bytes gzipped); the widget has no template literal, so such a line is never inside a string.
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("//") || (trimmed.hasPrefix("/**") && trimmed.hasSuffix("*/")) { continue }
            var body = line
            if line.hasPrefix("export ") {
                body = line.dropFirst("export ".count)
                guard let declared = declaration(body) else {
                    throw Failure(description: "\(name): only `export function|const|let|class NAME` joins: \(line)")
                }
                module.exported.insert(declared)
            }
            if let declared = declaration(body) { module.declared.append(declared) }
            module.body.append(body)
        }
        return module
    }

    static func parseImport(_ statement: String, in name: String) throws -> (from: String, names: [String]) {
        let fail = Failure(description: "\(name): only `import { a, b } from './x.js';` joins: \(statement)")
        guard let open = statement.firstIndex(of: "{"), let close = statement.firstIndex(of: "}"), open < close,
            let from = statement.range(of: " from './"), from.lowerBound > close,
            let end = statement.range(of: "';", range: from.upperBound..<statement.endIndex)
        else { throw fail }
        let names = statement[statement.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty, names.allSatisfy(isIdentifier) else { throw fail }
        return (String(statement[from.upperBound..<end.lowerBound]), names)
    }

    /// The name a top-level declaration line declares (`function f(`, `const x =`, `async function g(`…).
    static func declaration(_ line: Substring) -> String? {
        var rest = line
        if rest.hasPrefix("async ") { rest = rest.dropFirst("async ".count) }
        guard let keyword = ["function ", "const ", "let ", "var ", "class "].first(where: { rest.hasPrefix($0) })
        else { return nil }
        let name = rest.dropFirst(keyword.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        return name.isEmpty ? nil : String(name)
    }

    static func isIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
    }
}
