import ArgumentParser
import Foundation
import QariSpeech
import QariText

struct Voices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the voices.")

    @Flag(help: "Print JSON, as GET /v1/voices does.") var json = false

    func run() async throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(VoiceCatalog.all), as: UTF8.self))
        } else {
            print("ID    LANGUAGE  SCRIPTS    NAME")
            for v in VoiceCatalog.all {
                print(
                    v.id.padding(toLength: 6, withPad: " ", startingAt: 0)
                        + v.language.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + v.scripts.joined(separator: ",").padding(toLength: 11, withPad: " ", startingAt: 0) + v.name)
            }
        }
    }
}
