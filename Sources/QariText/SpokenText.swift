/// The text eSpeak reads, built from the caller's text, with each spoken code point traced back to the original.
///
/// Marks must point into what the caller sent, while eSpeak reads a rewritten copy (pauses added, numbers spelled
/// out, vowels restored), so every rewrite records which original code points it stands for.
public struct SpokenText: Sendable, Equatable {
    /// The caller's text, as code points.
    public let original: [Unicode.Scalar]
    /// What eSpeak reads, as code points.
    public private(set) var spoken: [Unicode.Scalar] = []
    /// For each spoken code point, the original range (in code points) it stands for.
    private var origins: [Range<Int32>] = []

    public init(original: String) {
        self.original = Array(original.unicodeScalars)
    }

    /// The spoken text as a string.
    public var spokenString: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: spoken)
        return String(s)
    }

    /// Speaks original code points `range` as they are.
    public mutating func copy(_ range: Range<Int>) {
        for i in range {
            spoken.append(original[i])
            origins.append(Int32(i)..<Int32(i + 1))
        }
    }

    /// Speaks `replacement` in place of original code points `range` (empty: an insertion at its start).
    public mutating func replace(_ range: Range<Int>, with replacement: String) {
        let origin = Int32(range.lowerBound)..<Int32(range.upperBound)
        for scalar in replacement.unicodeScalars {
            spoken.append(scalar)
            origins.append(origin)
        }
    }

    /// The original code-point range behind spoken code points `start ..< start + length`.
    public func originalRange(spokenStart start: Int, length: Int) -> Range<Int> {
        guard !origins.isEmpty else { return 0..<0 }
        let lo = min(max(start, 0), origins.count - 1)
        let hi = min(max(start + max(length, 1), lo + 1), origins.count)
        var lower = Int(origins[lo].lowerBound)
        var upper = Int(origins[lo].upperBound)
        for i in lo..<hi {
            lower = min(lower, Int(origins[i].lowerBound))
            upper = max(upper, Int(origins[i].upperBound))
        }
        return lower..<upper
    }

    /// For each original code point, whether something spoken stands for it (a link's path is not said).
    public var originalSpoken: [Bool] {
        // Coverage counted by a difference array: one pass over the origins, one over the original.
        var depth = [Int32](repeating: 0, count: original.count + 1)
        for r in origins where !r.isEmpty {
            depth[min(Int(r.lowerBound), original.count)] += 1
            depth[min(Int(r.upperBound), original.count)] -= 1
        }
        var said = [Bool](repeating: false, count: original.count)
        var level: Int32 = 0
        for i in said.indices {
            level += depth[i]
            said[i] = level > 0
        }
        return said
    }

    /// A text whose code point `i` is spoken as `units[i]` (the diacritizer's answer).
    public init(original: String, units: [String]) {
        self.original = Array(original.unicodeScalars)
        for (i, unit) in units.enumerated() where i < self.original.count {
            replace(i..<i + 1, with: unit)
        }
        if units.count < self.original.count { copy(units.count..<self.original.count) }
    }

    /// Speaks `other`, a rewrite of the original code points from `offset` on, next.
    public mutating func append(_ other: SpokenText, at offset: Int) {
        spoken += other.spoken
        let o = Int32(offset)
        origins += other.origins.map { (o + $0.lowerBound)..<(o + $0.upperBound) }
    }

    /// This text followed by a rewrite of its spoken form: marks of the result still point at this `original`.
    public func then(_ next: SpokenText) -> SpokenText {
        precondition(next.original == spoken, "a rewrite must start from the spoken text it rewrites")
        var result = SpokenText(original: String(String.UnicodeScalarView(original)))
        result.spoken = next.spoken
        result.origins = next.origins.map { r in
            if r.isEmpty {
                let p = Int(r.lowerBound)
                let at = p < origins.count ? origins[p].lowerBound : Int32(original.count)
                return at..<at
            }
            var lower = origins[Int(r.lowerBound)].lowerBound
            var upper = origins[Int(r.lowerBound)].upperBound
            for i in Int(r.lowerBound)..<Int(r.upperBound) {
                lower = min(lower, origins[i].lowerBound)
                upper = max(upper, origins[i].upperBound)
            }
            return lower..<upper
        }
        return result
    }

    /// The text spoken as it is.
    public static func verbatim(_ text: String) -> SpokenText {
        var result = SpokenText(original: text)
        result.copy(0..<result.original.count)
        return result
    }

    /// The caller's text made ready for eSpeak: a line that ends without punctuation (a heading, a list item) gets
    /// a full stop, because eSpeak reads a bare newline as no break at all.
    public static func prepare(_ text: String) -> SpokenText {
        var result = SpokenText(original: text)
        let scalars = result.original
        var lastSignificant: Unicode.Scalar?
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\n" || c == "\u{2029}" || c == "\u{2028}" {
                if let last = lastSignificant, !clauseEnders.contains(last) {
                    result.replace(i..<i, with: ".")
                }
                lastSignificant = nil
                result.copy(i..<i + 1)
            } else {
                if !c.properties.isWhitespace { lastSignificant = c }
                result.copy(i..<i + 1)
            }
            i += 1
        }
        return result
    }

    static let clauseEnders: Set<Unicode.Scalar> = [".", "!", "?", ":", ";", "…", "؟", "؛", "،", ",", "۔"]

    /// `text` with square brackets spoken as spaces.
    public static func withoutBrackets(_ text: String) -> SpokenText {
        var result = SpokenText(original: text)
        for (i, c) in result.original.enumerated() {
            if c == "[" || c == "]" { result.replace(i..<i + 1, with: " ") } else { result.copy(i..<i + 1) }
        }
        return result
    }
}
