import QariText

extension Speaker {
    /// A piece of the caller's text spoken by one engine request.
    struct Chunk: Equatable {
        /// The caller's passage it belongs to.
        var passage = 0
        /// Code-point offset of the chunk in that passage.
        var offset: Int
        var text: String
        /// The voice of its run (nil: the request's).
        var voice: Voice? = nil
    }

    /// The text cut after sentence ends: the first sentence alone (short first audio), then pieces of about
    /// `size` code points. Cuts fall only on whitespace after a sentence end, so no word is split.
    static func chunks(of text: String, size: Int = 1200) -> [Chunk] {
        let scalars = Array(text.unicodeScalars)
        var cuts: [Int] = []
        var start = 0
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            let ends = MarkMapper.sentenceFinal.contains(c) || c == "\n"
            if ends, i + 1 < scalars.count, scalars[i + 1].properties.isWhitespace {
                var j = i + 1
                while j < scalars.count && scalars[j].properties.isWhitespace { j += 1 }
                let hasWords = scalars[start..<i].contains { WordRanges.isWordish($0) }
                if hasWords && (cuts.isEmpty || j - start >= size) && j < scalars.count {
                    cuts.append(j)
                    start = j
                }
                i = j
                continue
            }
            i += 1
        }
        var result: [Chunk] = []
        var lo = 0
        for cut in cuts + [scalars.count] where cut > lo {
            result.append(Chunk(offset: lo, text: String(String.UnicodeScalarView(scalars[lo..<cut]))))
            lo = cut
        }
        return result.isEmpty ? [Chunk(offset: 0, text: text)] : result
    }
}
