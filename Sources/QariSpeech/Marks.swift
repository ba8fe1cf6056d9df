import QariText

/// A point in the audio where a word or sentence of the caller's text starts.
public struct Mark: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case word, sentence, mark }
    public var type: Kind
    /// Which of the caller's passages the mark is in (0 for a single text; not part of the JSON of a text's marks).
    public var passage: Int = 0
    /// Code-point offset in the caller's text (in its passage's text).
    public var start: Int
    /// Length in code points.
    public var length: Int
    /// Milliseconds from the start of the audio.
    public var timeMs: Int
    /// The name of an SSML `<mark>`.
    public var name: String?

    public init(type: Kind, passage: Int = 0, start: Int, length: Int, timeMs: Int, name: String? = nil) {
        self.type = type
        self.passage = passage
        self.start = start
        self.length = length
        self.timeMs = timeMs
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case type, start, length
        case timeMs = "time_ms"
        case name
    }
}

/// Turns engine marks (positions in the spoken text) into marks on the caller's words, one per word, in order.
///
/// eSpeak reports some words in pieces (`d'identité` only as `d`), skips others (in "tout le monde" only `tout`
/// has an event) and reports some tokens as several words (numbers). So a mark stands for a whole
/// whitespace-delimited word of the original, a word gets one mark, and a word eSpeak gave no event gets a time
/// interpolated between its neighbours' marks. A word nothing is said for (a link's path) gets no mark, so the
/// highlight does not run through it.
public struct MarkMapper: Sendable {
    private let text: SpokenText
    private let sampleRate: Int
    /// The words of the original text, in order.
    public let words: [Range<Int>]
    private var nextWord = 0
    private var lastTime = 0

    public init(text: SpokenText, sampleRate: Int, words: [Range<Int>]? = nil) {
        self.text = text
        self.sampleRate = sampleRate
        let said = text.originalSpoken
        self.words = (words ?? WordRanges.of(text.original)).filter { w in said[w].contains(true) }
    }

    /// Maps a batch of engine marks, in order.
    public mutating func map(_ marks: [EngineMark]) -> [Mark] {
        var out: [Mark] = []
        for m in marks {
            let time = max(lastTime, m.sample * 1000 / max(sampleRate, 1))
            let range = text.originalRange(spokenStart: m.position, length: m.length)
            switch m.kind {
            case .word:
                let j = wordIndex(atOrAfter: range.lowerBound)
                guard j < words.count, j >= nextWord else { continue }
                out += fillGap(upTo: j, endTime: time)
                out.append(Mark(type: .word, start: words[j].lowerBound, length: words[j].count, timeMs: time))
                nextWord = j + 1
                lastTime = time
            case .sentence:
                let start = skipSpace(from: range.lowerBound)
                let end = sentenceEnd(from: start)
                guard end > start else { continue }
                out += fillGap(upTo: wordIndex(atOrAfter: start), endTime: time)
                lastTime = time
                out.append(Mark(type: .sentence, start: start, length: end - start, timeMs: time))
            case .mark:
                lastTime = time
                out.append(Mark(type: .mark, start: range.lowerBound, length: 0, timeMs: time, name: m.name))
            }
        }
        return out
    }

    /// Marks for the words after the last event, spread up to the end of the audio.
    public mutating func finish(totalSamples: Int) -> [Mark] {
        fillGap(upTo: words.count, endTime: max(lastTime, totalSamples * 1000 / max(sampleRate, 1)))
    }

    /// Marks for words `nextWord ..< index`, which eSpeak gave no event, between the last mark and `endTime`:
    /// the previous word and the gap's words share that time equally.
    private mutating func fillGap(upTo index: Int, endTime: Int) -> [Mark] {
        let gap = index - nextWord
        guard gap > 0 else { return [] }
        let start = lastTime
        let span = max(0, endTime - start)
        // Before the first word event there is no previous word: the gap starts at the audio's start.
        let leading = nextWord == 0
        var out: [Mark] = []
        for k in 0..<gap {
            let w = words[nextWord + k]
            let t = leading ? start + span * k / gap : start + span * (k + 1) / (gap + 1)
            out.append(Mark(type: .word, start: w.lowerBound, length: w.count, timeMs: t))
        }
        nextWord = index
        lastTime = out.last?.timeMs ?? lastTime
        return out
    }

    /// The index of the word containing `position`, or of the first word after it.
    private func wordIndex(atOrAfter position: Int) -> Int {
        var lo = 0
        var hi = words.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if words[mid].upperBound <= position { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private func isSpace(_ i: Int) -> Bool { text.original[i].properties.isWhitespace }

    private func skipSpace(from i: Int) -> Int {
        var i = i
        while i < text.original.count && isSpace(i) { i += 1 }
        return i
    }

    /// The end of the sentence starting at `start`: after its final punctuation, or at a line break.
    private func sentenceEnd(from start: Int) -> Int {
        let chars = text.original
        var i = start
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { return i }
            if Self.sentenceFinal.contains(c) {
                var j = i + 1
                while j < chars.count && (Self.sentenceFinal.contains(chars[j]) || Self.closers.contains(chars[j])) {
                    j += 1
                }
                if j == chars.count || isSpace(j) { return j }
                i = j
                continue
            }
            i += 1
        }
        var end = chars.count
        while end > start && isSpace(end - 1) { end -= 1 }
        return end
    }

    static let sentenceFinal: Set<Unicode.Scalar> = [".", "!", "?", "؟", "…"]
    static let closers: Set<Unicode.Scalar> = ["\"", "»", ")", "'", "”"]
}
