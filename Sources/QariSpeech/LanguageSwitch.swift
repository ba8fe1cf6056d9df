/// Keeps eSpeak's French voice in French for words of Moroccan origin.
///
/// eSpeak's French rules hand words that look English to its English voice: `Mohammed` (a final "ed"), `watiqa` (a
/// "w"), `Ahmed`, `Cheikh`. On Moroccan pages those words are Arabic or Amazigh names said the French way, never
/// English. Each Latin word is checked with eSpeak itself; a word it would switch is respelled the French way
/// (`watiqa` → `ouatiqa`, `Mohammed` → `Mohammède`) until eSpeak keeps it French. Positions are traced back, so
/// marks still point at the word as written.
enum FrenchSpelling {
    /// Respellings tried in turn, each on top of the ones before, until the word stays French.
    static let steps: [@Sendable (String) -> String] = [
        { $0.replacing("W", with: "Ou").replacing("w", with: "ou") },
        { w in w.hasSuffix("ed") ? String(w.dropLast(2)) + "ède" : w },
        { $0.replacing("ee", with: "i").replacing("oo", with: "ou") },
        { $0.replacing("sh", with: "ch").replacing("Sh", with: "Ch").replacing("th", with: "t") },
        { $0.replacing("gh", with: "r").replacing("Gh", with: "R") },
        { w in w.hasSuffix("y") ? String(w.dropLast()) + "i" : w },
        { $0.replacing("ay", with: "aï").replacing("ey", with: "eï") },
    ]

    /// `text` with every word `switches` says eSpeak would read in another language respelled, and for each code
    /// point of the result the code point of `text` it stands for; nil when no word needed it.
    static func respell(_ text: String, switches ask: (String) -> Bool) -> (text: String, origin: [Int])? {
        // A page says the same words many times: eSpeak is asked once per word.
        var known: [String: Bool] = [:]
        func switches(_ word: String) -> Bool {
            if let answer = known[word] { return answer }
            let answer = ask(word)
            known[word] = answer
            return answer
        }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var origin: [Int] = []
        var changed = false
        var i = 0
        while i < scalars.count {
            guard isLatinLetter(scalars[i]) else {
                out.append(scalars[i])
                origin.append(i)
                i += 1
                continue
            }
            var j = i
            while j < scalars.count, isLatinLetter(scalars[j]) { j += 1 }
            let word = String(String.UnicodeScalarView(scalars[i..<j]))
            var spelled = word
            if word.count > 1, switches(word) {
                for step in steps {
                    let next = step(spelled)
                    guard next != spelled else { continue }
                    spelled = next
                    if !switches(spelled) { break }
                }
                if switches(spelled) { spelled = word }  // nothing helped: eSpeak's reading stays
            }
            if spelled != word { changed = true }
            let n = spelled.unicodeScalars.count
            out.append(contentsOf: spelled.unicodeScalars)
            // Every code point of the respelled word stands for the word; its end maps to the word's end.
            for k in 0..<n { origin.append(n == j - i ? i + k : (k == n - 1 ? j - 1 : i)) }
            i = j
        }
        return changed ? (String(out), origin) : nil
    }

    static func isLatinLetter(_ c: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(c.value) || (0x61...0x7A).contains(c.value)
            || (0xC0...0x24F).contains(c.value) && c.properties.isAlphabetic
    }
}
