import Foundation
import QariSpeech

/// Listeners' reports of mispronounced words, taken against the reading they heard.
extension Readings {
    /// Takes a listener's report of a mispronounced word: the word, its voice and the phonemes spoken come from
    /// the reading itself (never from what the listener sends); stored when there is a store.
    public func report(reading id: String, passage: Int, start: Int, end: Int, note: String) async throws -> Report {
        guard let reading = await reading(id) else { throw ReportError.unknownReading(id) }
        guard !reading.isPrivate else { throw ReportError.privateReading }
        let passages = reading.plan.content.passages
        guard passages.indices.contains(passage) else {
            throw ReportError.noPassage(index: passage, count: passages.count)
        }
        let text = passages[passage].text
        let scalars = Array(text.unicodeScalars)
        guard 0 <= start, start < end, end <= scalars.count else {
            throw ReportError.badRange(start: start, end: end, length: scalars.count)
        }
        guard note.count <= ReportError.maxNote else { throw ReportError.noteTooLong(note.count) }
        // A finger's selection is rarely exact: the words it touches, whole, without the spaces or punctuation
        // around them.
        guard let words = Self.wholeWords(scalars, start..<end) else {
            throw ReportError.noWord(start: start, end: end)
        }
        let (start, end) = (words.lowerBound, words.upperBound)
        let voice = reading.plan.voices[passage]
        let word = String(String.UnicodeScalarView(scalars[start..<end]))
        // A word reported again costs no worker. The phonemes go before the readings queued for the speech workers;
        // with no worker at all (all restarting), the listener's report is still kept, without phonemes, which
        // `qari reports list` shows as missing.
        let key = "\(id) \(passage) \(start) \(end) \(speaker.lexicons.current.fingerprint)"
        var phonemes = reportPhonemes.get(key) ?? ""
        if phonemes.isEmpty {
            phonemes = (try? await speaker.phonemes(of: start..<end, inPassage: text, voice: voice)) ?? ""
            if !phonemes.isEmpty { reportPhonemes.put(key, phonemes) }
        }
        // Six words either side, as written (a full stop stays against its word).
        let before = String(String.UnicodeScalarView(scalars[..<start]))
            .split(separator: " ", omittingEmptySubsequences: false).suffix(7).joined(separator: " ")
        let after = String(String.UnicodeScalarView(scalars[end...]))
            .split(separator: " ", omittingEmptySubsequences: false).prefix(7).joined(separator: " ")
        let context = (before + "[\(word)]" + after).trimmingCharacters(in: .whitespaces)
        let report = Report(
            created: Int64(Date().timeIntervalSince1970), reading: id, passage: passage, start: start, end: end,
            word: word, voice: voice.id, phonemes: phonemes, context: context, note: note)
        return try reports?.add(report) ?? report
    }

    /// The whole words `range` touches: widened to the words' edges, narrowed past spaces and punctuation at its
    /// ends; nil when it touches no word. An apostrophe or hyphen between letters is inside a word ("d'auto-école").
    static func wholeWords(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Range<Int>? {
        func isLetter(_ i: Int) -> Bool {
            let p = scalars[i].properties
            switch p.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .otherNumber, .letterNumber: return true
            default: return p.isAlphabetic
            }
        }
        func inWord(_ i: Int) -> Bool {
            guard scalars.indices.contains(i) else { return false }
            if isLetter(i) { return true }
            return "'’-‐".unicodeScalars.contains(scalars[i]) && i > 0 && i + 1 < scalars.count
                && isLetter(i - 1) && isLetter(i + 1)
        }
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, !inWord(start) { start += 1 }
        while end > start, !inWord(end - 1) { end -= 1 }
        guard start < end else { return nil }
        while inWord(start - 1) { start -= 1 }
        while inWord(end) { end += 1 }
        return start..<end
    }
}
