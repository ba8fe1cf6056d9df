import ArgumentParser
import Foundation
import QariReading
import QariSpeech
import QariText

/// `qari reports`: what listeners reported as mispronounced, for linguists.
struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "Listeners' pronunciation reports: list them, export a draft lexicon.",
        subcommands: [List.self, Export.self, Copy.self])

    /// The reports of several databases (one per host), merged.
    static func load(_ files: [String]) throws -> [Report] {
        var all: [Report] = []
        for file in files {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw CLIError("cannot read the reports database \(file)")
            }
            do {
                all += try ReportStore(path: file, repair: false).all()
            } catch {
                throw CLIError("\(file) is not a reports database: \(error)")
            }
        }
        return all
    }

    /// Reports of one word in one voice.
    struct Group: Encodable {
        var word: String
        var voice: String
        var count: Int
        /// The phonemes spoken, most reported first.
        var phonemes: [String]
        /// The passages' words around it, and the listeners' notes.
        var contexts: [String]
        var notes: [String]
    }

    static func grouped(_ reports: [Report], voice: String?) -> [Group] {
        var groups: [String: [Report]] = [:]
        for r in reports where voice == nil || r.voice == voice {
            groups[r.voice + "\u{0}" + r.word.lowercased(), default: []].append(r)
        }
        return groups.values.map { rs in
            var phonemes: [String: Int] = [:]
            for r in rs { phonemes[r.phonemes, default: 0] += 1 }
            return Group(
                word: rs[0].word, voice: rs[0].voice, count: rs.count,
                phonemes: phonemes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key),
                contexts: Array(Set(rs.map(\.context))).sorted().prefix(3).map { $0 },
                notes: rs.map(\.note).filter { !$0.isEmpty })
        }.sorted { ($0.count, $1.voice, $1.word) > ($1.count, $0.voice, $0.word) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reports grouped by word and voice, most reported first, with the phonemes spoken.")

        @Option(name: .customLong("db"), help: "A reports database (repeatable: the hosts' files are merged).")
        var databases: [String] = []
        @Option(help: "Only this voice's reports.") var voice: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if databases.isEmpty { throw ValidationError("give at least one --db FILE") }
        }

        func run() throws {
            let groups = ReportsCommand.grouped(try ReportsCommand.load(databases), voice: voice)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(groups), as: UTF8.self))
                return
            }
            if groups.isEmpty { print("no reports") }
            for g in groups {
                print("\(g.count)\t\(g.voice)\t\(g.word)\t[[\(g.phonemes.joined(separator: "]] or [["))]]")
                for c in g.contexts { print("\t\t… \(c) …") }
                for n in g.notes { print("\t\tnote: \(n)") }
            }
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A whole copy of a host's reports database, safe while its daemons write, to send on.")

        @Option(name: .customLong("db"), help: "The reports database.") var database: String
        @Option(name: .shortAndLong, help: "The copy to write (replaced).") var output: String

        func run() throws {
            guard FileManager.default.isReadableFile(atPath: database) else {
                throw CLIError("cannot read the reports database \(database)")
            }
            let store: ReportStore
            do {
                store = try ReportStore(path: database, repair: false)
            } catch {
                throw CLIError("\(database) is not a reports database: \(error)")
            }
            do {
                try store.copy(to: output)
            } catch let error as CopyOntoItself {
                throw CLIError("the copy must be another file: \(error)")
            } catch {
                throw CLIError("cannot write \(output): \(error)")
            }
            print("\(output): \(try store.count()) reports")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A draft PLS lexicon of one voice's reported words, phonemes as spoken, for a linguist to correct.")

        @Option(name: .customLong("db"), help: "A reports database (repeatable).") var databases: [String] = []
        @Option(help: "The voice whose reports to export.") var voice: String
        @Option(name: .shortAndLong, help: "The PLS file to write.") var output: String

        func validate() throws {
            if databases.isEmpty { throw ValidationError("give at least one --db FILE") }
        }

        func run() throws {
            guard let v = VoiceCatalog.voice(named: voice) else {
                throw CLIError("no voice \"\(voice)\"; available voices: \(VoiceCatalog.ids.joined(separator: ", "))")
            }
            let groups = ReportsCommand.grouped(try ReportsCommand.load(databases), voice: v.id)
            func escaped(_ s: String) -> String {
                s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            }
            func comment(_ s: String) -> String { s.replacingOccurrences(of: "--", with: "- -") }
            var xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Draft from listeners' reports (qari reports export, voice \(v.id)): each phoneme is what the voice
                     said. Correct them (eSpeak's phonemes, alphabet x-espeak; or IPA with alphabet="ipa"), check with
                     `qari lexicon check`, then add the file to the daemon's lexicons and reload it. -->
                <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="x-espeak" \
                xml:lang="\(v.language)">

                """
            // A report kept without phonemes (no speech worker was running) has nothing to correct.
            let spoken = groups.filter { !$0.phonemes[0].isEmpty }
            for g in spoken {
                xml += "  <!-- \(g.count) report(s): \(comment(g.contexts.first ?? ""))"
                xml += g.notes.isEmpty ? "" : "; notes: \(comment(g.notes.joined(separator: " | ")))"
                xml += " -->\n"
                xml +=
                    "  <lexeme><grapheme>\(escaped(g.word))</grapheme><phoneme>\(escaped(g.phonemes[0]))</phoneme></lexeme>\n"
            }
            xml += "</lexicon>\n"
            do {
                try Data(xml.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                throw CLIError("cannot write \(output): \(error.localizedDescription)")
            }
            print("\(output): \(spoken.count) \(spoken.count == 1 ? "word" : "words") of voice \(v.id)")
        }
    }
}
