/// Keeps eSpeak's French voice in French for words of Moroccan origin.
///
/// eSpeak's French rules hand words that look English to its English voice: `Mohammed` (a final "ed"), `watiqa` (a
/// "w"), `Ahmed`, `Cheikh`. On Moroccan pages those words are Arabic or Amazigh names said the French way, never
/// English. Each Latin word is checked with eSpeak itself; a word it would switch is respelled the French way
/// (`watiqa` → `ouatiqa`, `Mohammed` → `Mohammède`, `parking` → `parkinng`) until eSpeak keeps it French; a word
/// no respelling keeps French (`business`, `football`) is spoken from its English phonemes mapped to the nearest
/// French ones, as French speakers say such loanwords. Positions are traced back, so marks still point at the word
/// as written.
package enum FrenchSpelling {
    /// Respellings tried in turn, each on top of the ones before, until the word stays French.
    static let steps: [@Sendable (String) -> String] = [
        { $0.replacing("W", with: "Ou").replacing("w", with: "ou") },
        { w in w.hasSuffix("ed") ? String(w.dropLast(2)) + "ède" : w },
        { $0.replacing("ee", with: "i").replacing("oo", with: "ou") },
        { $0.replacing("sh", with: "ch").replacing("Sh", with: "Ch").replacing("th", with: "t") },
        { $0.replacing("gh", with: "r").replacing("Gh", with: "R") },
        { w in w.hasSuffix("y") ? String(w.dropLast()) + "i" : w },
        { $0.replacing("ay", with: "aï").replacing("ey", with: "eï") },
        // English loanwords: "-ing" is French [iŋ] spelled "-inng"; "ea" and "oa" are [i] and [o].
        { w in
            w.hasSuffix("ing")
                ? String(w.dropLast(3)) + "inng" : (w.hasSuffix("ings") ? String(w.dropLast(4)) + "inngs" : w)
        },
        { $0.replacing("ea", with: "i").replacing("oa", with: "o") },
    ]

    /// `text` with every word `switches` says eSpeak would read in another language respelled, and for each code
    /// point of the result the code point of `text` it stands for; nil when no word needed it.
    package static func respell(
        _ text: String, switches ask: (String) -> Bool, englishPhonemes: (String) -> String? = { _ in nil }
    ) -> (text: String, origin: [Int], phonemes: Bool)? {
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
        var phonemes = false
        var i = 0
        while i < scalars.count {
            // Phonemes (`[[…]]`, a lexicon's) are eSpeak's already: copied as they are.
            if scalars[i] == "[", i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j + 1 < scalars.count, !(scalars[j] == "]" && scalars[j + 1] == "]") { j += 1 }
                let end = min(j + 2, scalars.count)
                out.append(contentsOf: scalars[i..<end])
                origin.append(contentsOf: i..<end)
                i = end
                continue
            }
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
                if switches(spelled) {
                    // Nothing helped: the English phonemes, each as French says it.
                    if let english = englishPhonemes(word), let french = frenchPhonemes(english) {
                        spelled = "[[" + french + "]]"
                        phonemes = true
                    } else {
                        spelled = word
                    }
                }
            }
            if spelled != word { changed = true }
            let n = spelled.unicodeScalars.count
            out.append(contentsOf: spelled.unicodeScalars)
            // Every code point of the respelled word stands for the word; its end maps to the word's end.
            for k in 0..<n { origin.append(n == j - i ? i + k : (k == n - 1 ? j - 1 : i)) }
            i = j
        }
        return changed ? (String(out), origin, phonemes) : nil
    }

    /// eSpeak's English phonemes (its mnemonics) and the French ones a French speaker uses for them.
    static let englishToFrench: [(String, String)] = [
        ("aI@", "aj@r"), ("aI3", "aj@r"), ("aU@", "aw@r"), ("i@3", "ir"), ("oU#", "o"), ("tS", "tS"), ("dZ", "dZ"),
        ("A@", "ar"), ("O@", "Or"), ("o@", "Or"), ("U@", "ur"), ("e@", "Er"), ("i@", "ir"), ("aI", "aj"), ("aU", "aw"),
        ("eI", "E"), ("oU", "o"), ("OI", "Oj"), ("@L", "@l"), ("3:", "Wr"), ("A:", "a"), ("O:", "O"), ("i:", "i"),
        ("u:", "u"), ("@2", "@"), ("@5", "@"), ("a#", "a"), ("I#", "i"), ("I2", "i"), ("aa", "a"), ("r-", "r"),
        ("@", "@"), ("3", "@r"), ("a", "a"), ("e", "E"), ("E", "E"), ("i", "i"), ("I", "i"), ("0", "O"), ("V", "W"),
        ("U", "u"), ("u", "u"), ("p", "p"), ("b", "b"), ("t", "t"), ("d", "d"), ("k", "k"), ("g", "g"), ("f", "f"),
        ("v", "v"), ("T", "t"), ("D", "d"), ("s", "s"), ("z", "z"), ("S", "S"), ("Z", "Z"), ("h", ""), ("m", "m"),
        ("n", "n"), ("N", "N"), ("l", "l"), ("r", "r"), ("w", "w"), ("j", "j"), ("x", "r"), ("?", ""),
    ]
    /// The vowels `englishToFrench` gives.
    static let frenchVowels: Set<String> = ["a", "E", "i", "O", "o", "u", "W", "@"]

    /// English mnemonics (`p'A@kIN`) as French ones with French final stress (`park'iN`); nil for a phoneme the
    /// table lacks.
    package static func frenchPhonemes(_ english: String) -> String? {
        var out: [String] = []
        var rest = Substring(english)
        while let c = rest.first {
            if c == "'" || c == "," || c == "%" || c == "=" || c == "_" || c == "!" || c == "|" || c == " " {
                rest.removeFirst()
                continue
            }
            guard let (from, to) = englishToFrench.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest.removeFirst(from.count)
            // One letter a phoneme, but for the affricates, which the table maps whole.
            out += to == "tS" || to == "dZ" ? [to] : to.map(String.init)
        }
        guard let last = out.lastIndex(where: { frenchVowels.contains($0) }) else {
            return out.isEmpty ? nil : out.joined()
        }
        // A trailing schwa is silent in French; the stress falls on the last full vowel.
        if out[last] == "@", last == out.count - 1 || !out[(last + 1)...].contains(where: frenchVowels.contains) {
            if let full = out[..<last].lastIndex(where: { frenchVowels.contains($0) && $0 != "@" }) {
                out.insert("'", at: full)
                return out.joined()
            }
        }
        out.insert("'", at: last)
        return out.joined()
    }

    static func isLatinLetter(_ c: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(c.value) || (0x61...0x7A).contains(c.value)
            || (0xC0...0x24F).contains(c.value) && c.properties.isAlphabetic
    }
}
