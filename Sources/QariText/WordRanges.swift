/// Where the words of a text are, as marks count them.
public enum WordRanges {
    /// Whitespace-delimited tokens with leading and trailing punctuation removed; tokens of punctuation alone are
    /// not words.
    public static func of(_ chars: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0
        while i < chars.count {
            while i < chars.count && chars[i].properties.isWhitespace { i += 1 }
            var lo = i
            while i < chars.count && !chars[i].properties.isWhitespace { i += 1 }
            var hi = i
            while lo < hi && !isWordish(chars[lo]) { lo += 1 }
            while hi > lo && !isWordish(chars[hi - 1]) { hi -= 1 }
            if lo < hi { result.append(lo..<hi) }
        }
        return result
    }

    /// Whether `s` can be part of a word: a letter, a digit or a vowel mark.
    public static func isWordish(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || s.properties.numericType != nil || s.properties.generalCategory == .nonspacingMark
    }
}
