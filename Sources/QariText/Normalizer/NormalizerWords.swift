/// The normaliser's rules for words: Arabic spelling, acronyms and abbreviations.
extension NormalizerScanner {
    // MARK: - Arabic spelling

    /// `أيضاً`, `جداً`: the tanween written on the alif (the common keyboard spelling) is put on the letter before it,
    /// where the vowel restorer and eSpeak expect it (`أيضًا`); the author's mark is kept once.
    func tanweenOnAlif(at k: Int) -> (Int, String)? {
        guard k < c.count, isArabicLetter(c[k]), c[k] != "ا" else { return nil }
        var j = k + 1
        while j < c.count, (0x064C...0x0652).contains(c[j].value) { j += 1 }
        guard j + 1 < c.count, c[j] == "ا", c[j + 1] == "\u{064B}", atWordEnd(j + 2) || !isArabicLetter(c[j + 2])
        else { return nil }
        // The marks already on the letter stay; a fathatan is never doubled.
        let marks = c[(k + 1)..<j].filter { $0 != "\u{064B}" }
        var out = String.UnicodeScalarView()
        out.append(c[k])
        out.append(contentsOf: marks)
        out.append("\u{064B}")
        out.append("ا")
        return (j + 2, String(out))
    }

    /// `RIB`, `EGDI`, `ONDA`: an acronym in capitals amid ordinary words is spelled, letter by letter, with French
    /// letter names; a heading written all in capitals is not.
    func acronym(at k: Int) -> (Int, String)? {
        var j = k
        while j < c.count, ("A"..."Z").contains(c[j]) { j += 1 }
        let length = j - k
        guard length >= 2, length <= 5, atWordEnd(j), j >= c.count || c[j] != "'" else { return nil }
        let letters = Array(c[k..<j])
        let vowels = letters.filter { "AEIOUY".unicodeScalars.contains($0) }.count
        // Five capitals with two vowels or more are usually said as a word (UNESCO-like names aside, ANAPEC).
        guard length <= 4 || vowels < 2 else { return nil }
        // Amid capitals (a heading in capitals), leave it alone.
        func capitalsWord(from start: Int, step: Int) -> Bool {
            var m = start
            while m >= 0 && m < c.count && (isSpace(m) || c[m] == "-") { m += step }
            guard m >= 0 && m < c.count, isLetter(m) else { return false }
            var n = m
            var count = 0
            while n >= 0 && n < c.count && isLetter(n) {
                guard c[n].properties.isUppercase else { return false }
                count += 1
                n += step
            }
            return count >= 2
        }
        guard !capitalsWord(from: k - 1, step: -1), !capitalsWord(from: j, step: 1) else { return nil }
        return (j, letters.map { String($0) }.joined(separator: " "))
    }

    // MARK: - Abbreviations

    func abbreviation(at k: Int) -> (Int, String)? {
        for (written, spoken, caseSensitive) in fr ? Self.frenchAbbreviations : Self.arabicAbbreviations {
            guard let e = literal(written, at: k, caseSensitive: caseSensitive) else { continue }
            // An abbreviation ending in a letter must end the word; one ending in "." or "°" ends itself.
            if let last = written.unicodeScalars.last, last.properties.isAlphabetic, !atWordEnd(e) { continue }
            return (e, spoken)
        }
        return nil
    }
}
