/// Amazigh grapheme-to-phoneme: one written word in, eSpeak NG phoneme mnemonics (Arabic table) out.
///
/// eSpeak's rule language cannot insert schwa by syllable structure, spread emphasis over a word, or apply a
/// variety's sound changes, so Qari does it here and hands eSpeak `[[…]]` phoneme input. voices/README.md explains
/// the design.
public enum AmazighG2P {
    /// One sound unit of a written word: a vowel, or a consonant (geminate and labialized count as one).
    struct Unit: Equatable {
        var letter: String
        var geminate = false
        var labialized = false

        var isVowel: Bool { Self.vowels.contains(letter) }
        static let vowels: Set<String> = ["a", "i", "u", "e"]
        static let emphatics: Set<String> = ["ḍ", "ṭ", "ṣ", "ẓ", "ṛ", "ḏ̣"]
        static let voiceless: Set<String> = [
            "t", "ṭ", "k", "q", "f", "s", "ṣ", "c", "x", "ḥ", "h", "p", "ṯ", "ḵ", "tʃ",
        ]

        /// Sonority, from l r (6) down to voiceless stops (1); glides above liquids.
        var sonority: Int {
            switch letter {
            case "w", "y": 7
            case "l", "r", "ṛ", "ř": 6
            case "m", "n": 5
            case "z", "ẓ", "ɣ", "j", "ɛ", "v", "ḇ", "ḏ", "ḏ̣", "ǥ": 4
            case "f", "s", "ṣ", "c", "x", "ḥ", "h", "ṯ", "ḵ": 3
            case "b", "d", "ḍ", "g", "dʒ": 2
            default: 1
            }
        }
    }

    /// A word read into sound units, with warnings about letters read by a stand-in.
    struct Reading {
        var units: [Unit]
        var warnings: [String]
    }

    /// The units of a written word (Tifinagh or IRCAM Latin; both give the same units for the same word).
    static func read(_ word: String) -> Reading {
        var letters: [(key: String, labialized: Bool)] = []
        var warnings: [String] = []
        for c in word.unicodeScalars {
            if AmazighLetters.joiners.contains(c) { continue }
            if AmazighLetters.labialization.contains(c) {
                if let last = letters.last, !Unit(letter: last.key).isVowel {
                    letters[letters.count - 1].labialized = true
                }
                continue
            }
            if c == "\u{0323}" {
                if let last = letters.last, let dotted = AmazighLetters.dotBelow[last.key] {
                    letters[letters.count - 1].key = dotted
                }
                continue
            }
            if let key = AmazighLetters.tifinagh[c] {
                letters.append((key, false))
            } else if let stand = AmazighLetters.nonIRCAM[c], let key = AmazighLetters.tifinagh[stand] {
                warnings.append(
                    "\(c) (U+\(hex(c))) is not an IRCAM Tifinagh letter; read as \(stand) (U+\(hex(stand)))")
                letters.append((key, false))
            } else if let key = AmazighLetters.latinBase(c) {
                letters.append((key, false))
            }
        }
        var units: [Unit] = []
        for (key, labialized) in letters {
            let unit = Unit(letter: key, labialized: labialized)
            // A doubled consonant is one geminate; ⴳⴳⵯ marks the labialization on the second letter only.
            if let last = units.last, !unit.isVowel, last.letter == key, !last.geminate {
                units[units.count - 1].geminate = true
                units[units.count - 1].labialized = last.labialized || labialized
            } else {
                units.append(unit)
            }
        }
        return Reading(units: units, warnings: warnings)
    }

    /// The eSpeak mnemonics of `word` in `variety`; `nextStartsWithVowel` decides whether a one-consonant
    /// proclitic (ⵏ 'of', ⴷ 'and') takes a schwa. Empty when the word has no letters.
    public static func phonemes(
        _ word: String, variety: AmazighVariety, nextStartsWithVowel: Bool = false
    ) -> (phonemes: String, warnings: [String]) {
        let reading = read(word)
        var units = reading.units
        guard !units.isEmpty else { return ("", reading.warnings) }
        let emphatic = units.contains { Unit.emphatics.contains($0.letter) }
        if variety == .rif { units = tarifit(units) }
        if variety.insertsSchwa {
            if units.count == 1, !units[0].isVowel {
                if !nextStartsWithVowel { units.insert(Unit(letter: "e"), at: 0) }
            } else {
                units = insertSchwa(units)
            }
        }
        return (mnemonics(units, variety: variety, emphatic: emphatic), reading.warnings)
    }

    /// Whether `word` begins with a vowel sound.
    public static func startsWithVowel(_ word: String) -> Bool {
        read(word).units.first?.isVowel ?? false
    }

    /// Tarifit: ll → dʒː, lt → tʃ, l → trill ř, r before a consonant after a vowel lost (vowel lengthened),
    /// other r a flap.
    static func tarifit(_ units: [Unit]) -> [Unit] {
        var out: [Unit] = []
        var i = 0
        while i < units.count {
            var u = units[i]
            let next = i + 1 < units.count ? units[i + 1] : nil
            switch u.letter {
            case "l" where u.geminate:
                u.letter = "dʒ"
            case "l" where next?.letter == "t" && next?.geminate == false:
                out.append(Unit(letter: "tʃ"))
                i += 2
                continue
            case "l":
                u.letter = "ř"
            case "r" where !u.geminate:
                if let prev = out.last, prev.isVowel, let next, !next.isVowel {
                    out[out.count - 1].letter += ":"
                    i += 1
                    continue
                }
                u.letter = "ɾ"
            default:
                break
            }
            out.append(u)
            i += 1
        }
        return out
    }

    /// Inserts schwa (unit `e`) in consonant runs by the onset/coda rule of ../shared/amazigh/README.md §2.
    static func insertSchwa(_ units: [Unit]) -> [Unit] {
        func isVowel(_ u: Unit) -> Bool { u.isVowel || u.letter.hasSuffix(":") }
        var out: [Unit] = []
        var i = 0
        while i < units.count {
            if isVowel(units[i]) {
                out.append(units[i])
                i += 1
                continue
            }
            var j = i
            while j < units.count && !isVowel(units[j]) { j += 1 }
            var run = Array(units[i..<j])
            let atStart = i == 0
            let atEnd = j == units.count
            var head: [Unit] = []
            var tail: [Unit] = []
            if !atStart, !run.isEmpty {
                // Coda of the vowel before.
                head.append(run.removeFirst())
                if atEnd, let second = run.first, second.sonority <= head[0].sonority {
                    head.append(run.removeFirst())
                }
            }
            if !atEnd, !run.isEmpty {
                // Onset of the vowel after; word-initially a two-consonant onset is allowed (ⵎⵔⴰⵡ).
                tail.insert(run.removeLast(), at: 0)
                if atStart, run.count == 1 { tail.insert(run.removeLast(), at: 0) }
            }
            // From the right, CC → CəC; a unit left over at the left edge joins the next syllable, but a lone unit
            // takes a schwa (C → əC).
            var middle: [Unit] = []
            if run.count == 1 {
                middle = [Unit(letter: "e"), run[0]]
            } else {
                var k = run.count
                while k >= 2 {
                    middle = [run[k - 2], Unit(letter: "e"), run[k - 1]] + middle
                    k -= 2
                }
                if k == 1 { middle.insert(run[0], at: 0) }
            }
            out += head + middle + tail
            i = j
        }
        return out
    }

    /// Mnemonics of the Arabic phoneme table for each unit.
    static func mnemonics(_ units: [Unit], variety: AmazighVariety, emphatic: Bool) -> String {
        var out = ""
        for (i, u) in units.enumerated() {
            let next = i + 1 < units.count ? units[i + 1] : nil
            var letter = u.letter
            var long = false
            if letter.hasSuffix(":") {
                letter.removeLast()
                long = true
            }
            if u.isVowel || long {
                switch letter {
                case "e": out += "@"
                default: out += letter + (emphatic ? "." : "")
                }
                if long { out += ":" }
                continue
            }
            var symbol = consonant(letter)
            if variety.spirantizes && !u.geminate {
                if let spirant = spirants[letter] { symbol = spirant }
                // ɣ devoices to χ before a voiceless consonant.
                if letter == "ɣ", let next, Unit.voiceless.contains(next.letter) { symbol = "X" }
                if u.labialized, letter == "k" { symbol = "xw" }
                if u.labialized, letter == "g" { symbol = "Q\"w" }
            }
            if u.labialized {
                if symbol == "k" || symbol == "g" {
                    out += symbol + (u.geminate ? ":" : "") + "w"
                    continue
                }
                // xw and Q"w are labialized already; others take a w (length goes on the consonant, not on w).
                out += symbol.hasSuffix("w") ? symbol : symbol + (u.geminate ? ":" : "") + "w"
                continue
            }
            out += symbol + (u.geminate ? ":" : "")
        }
        return out
    }

    static func consonant(_ letter: String) -> String {
        [
            "b": "b", "g": "g", "d": "d", "ḍ": "dH", "f": "f", "k": "k", "h": "h", "ḥ": "H", "ɛ": "A", "x": "X",
            "q": "q", "j": "Z;", "l": "l", "m": "m", "n": "n", "r": "R", "ṛ": "R", "ɣ": "Q\"", "s": "s",
            "ṣ": "s[", "c": "S", "t": "t", "ṭ": "t[", "w": "w", "y": "j", "z": "z", "ẓ": "z", "ḇ": "B", "ǥ": "J^",
            "ḏ": "D", "ḏ̣": "Z", "ḵ": "C", "p": "p", "ṯ": "T", "v": "v", "ř": "R", "ɾ": "*", "dʒ": "dZ", "tʃ": "tS",
        ][letter] ?? ""
    }

    /// Central Atlas and Tarifit fricatives for single stops.
    static let spirants: [String: String] = ["b": "B", "t": "T", "d": "D", "ḍ": "Z", "k": "C", "g": "J^"]

    /// Every mnemonic this front end emits, each checked against eSpeak NG 1.51's `ar` table (see the tests).
    public static let mnemonicInventory: [String] = [
        "a", "i", "u", "a.", "i.", "u.", "@", "b", "g", "gw", "d", "dH", "f", "k", "kw", "h", "H", "A", "X", "q",
        "Z;", "l", "m", "n", "R", "*", "s", "s[", "S", "t", "t[", "w", "j", "z", "B", "J^", "D", "Z", "C", "p",
        "v", "T", "tS", "dZ", "xw", "Q\"", "Q\"w",
    ]

    /// Whether `phonemes` consists only of known mnemonics (each optionally long, `:`), so eSpeak will not
    /// silently drop the rest of a word at an unknown one.
    public static func isValid(_ phonemes: String) -> Bool {
        let sorted = mnemonicInventory.sorted { $0.count > $1.count }
        var rest = Substring(phonemes)
        while !rest.isEmpty {
            guard let m = sorted.first(where: { rest.hasPrefix($0) }) else { return false }
            rest = rest.dropFirst(m.count)
            if rest.first == ":" { rest = rest.dropFirst() }
        }
        return true
    }
}

func hex(_ c: Unicode.Scalar) -> String {
    let h = String(c.value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - h.count)) + h
}
