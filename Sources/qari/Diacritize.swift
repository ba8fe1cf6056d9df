import ArgumentParser
import Logging
import QariSpeech
import QariText

struct Diacritize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print Arabic text with its vowel marks restored, line by line (for linguists).")

    @OptionGroup var textInput: TextInput

    func run() async throws {
        let input = try textInput.read()
        var logger = Logger(label: "qari")
        logger.logLevel = .error
        guard let location = DiacritizerLocation.find() else {
            throw CLIError("the diacritizer is not installed: run `make build` (it creates .venv) or set QARI_HOME")
        }
        let diacritizer = Diacritizer.local(location: location, logger: logger)
        do {
            try await diacritizer.pool.start()
        } catch {
            throw CLIError("the diacritizer did not start: \(error)")
        }
        var lines = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            if line.unicodeScalars.contains(where: isArabicLetter) {
                let units = try await diacritizer.units(line)
                print(units.joined())
            } else {
                print(line)
            }
        }
        await diacritizer.pool.shutdown()
    }
}
