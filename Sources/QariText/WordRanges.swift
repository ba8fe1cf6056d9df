/// Where the words of a text are, as marks count them.
public enum WordRanges {
    /// Whitespace-delimited tokens with leading and trailing punctuation removed; tokens of punctuation alone are
    /// not words. An address is its spoken parts (`lematin`, `ma`, `14`, `84`…), so a highlight moves through it.
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
            guard lo < hi else { continue }
            if let address = Address.parse(chars, at: lo), address.range.upperBound <= hi {
                result += address.parts.map(\.range)
                // What follows the address in the same token (`»`, `)…`) is a word only if it has letters.
                let rest = address.range.upperBound..<hi
                if let first = rest.first(where: { isWordish(chars[$0]) }) { result.append(first..<hi) }
            } else {
                result.append(lo..<hi)
            }
        }
        return result
    }

    /// Whether `s` can be part of a word: a letter, a digit or a vowel mark.
    public static func isWordish(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || s.properties.numericType != nil || s.properties.generalCategory == .nonspacingMark
    }
}
