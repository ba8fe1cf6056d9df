import ArgumentParser
import Foundation
import QariSpeech
import QariText

struct PhonemeErrors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "per",
        abstract: "Measure the Amazigh voices' phoneme error rate over a JSON file of cases (for linguists).",
        discussion: """
            Each case: {"tifinagh"?, "latin"?, "variety", "ipa", "ipa_status"?}. Both written forms are read with \
            `qari phonemes --ipa` and compared with "ipa" after folding vowel allophones (æ ɑ ɐ → a, ɪ e → i, \
            ʊ o → u), ʁ → ɣ, and ignoring stress and syllable marks.
            """)

    @Argument(help: "The cases (default: ../shared/amazigh/examples.json beside the repo).")
    var cases: String?

    func run() async throws {
        let path = cases ?? (EspeakData.voicesDirectory().map { $0 + "/../../shared/amazigh/examples.json" } ?? "")
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        let list: [PhonemeErrorRate.Case]
        do {
            list = try JSONDecoder().decode([PhonemeErrorRate.Case].self, from: data)
        } catch {
            throw CLIError("\(path) is not a JSON list of cases: \(error)")
        }
        let speaker = try await localSpeaker(for: VoiceCatalog.voice(named: "zgh")!)
        var total = 0
        var errors = 0
        var byStatus: [String: (Int, Int)] = [:]
        var disagreements = 0
        print(
            "variety  form       written                 qari IPA              expected IPA           errors/phonemes")
        for c in list {
            guard let voice = VoiceCatalog.voice(named: c.variety), voice.amazighVariety != nil else {
                throw CLIError("case \(c.tifinagh ?? c.latin ?? "?"): no Amazigh variety \"\(c.variety)\"")
            }
            let expected = PhonemeErrorRate.phonemes(c.ipa)
            var readings: [[String]] = []
            for (form, written) in [("tifinagh", c.tifinagh), ("latin", c.latin)] {
                guard let written, !written.isEmpty else { continue }
                let ipa = try await speaker.phonemes(written, voice: voice, ipa: true)
                let actual = PhonemeErrorRate.phonemes(ipa)
                readings.append(actual)
                let e = PhonemeErrorRate.errors(expected: expected, actual: actual)
                total += expected.count
                errors += e
                let status = c.ipaStatus ?? "unknown"
                byStatus[status, default: (0, 0)].0 += e
                byStatus[status, default: (0, 0)].1 += expected.count
                print(
                    [c.variety.pad(9), form.pad(11), written.pad(24), ipa.pad(22), c.ipa.pad(23)].joined()
                        + "\(e)/\(expected.count)")
            }
            if readings.count == 2 && readings[0] != readings[1] { disagreements += 1 }
        }
        await speaker.shutdown()
        func rate(_ e: Int, _ n: Int) -> String { String(format: "%.2f%%", n == 0 ? 0 : 100 * Double(e) / Double(n)) }
        print("")
        print("cases \(list.count); phonemes compared \(total); errors \(errors)")
        for (status, (e, n)) in byStatus.sorted(by: { $0.key < $1.key }) {
            print("PER, IPA \(status): \(rate(e, n)) (\(e)/\(n))")
        }
        print("PER: \(rate(errors, total))")
        print("Tifinagh and Latin forms read differently: \(disagreements)")
    }
}
