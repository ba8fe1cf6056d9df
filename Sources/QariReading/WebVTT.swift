import Foundation

extension ReadingMarks {
    /// The marks as WebVTT: a cue per word, from its mark to the next one (the last to the end of the audio).
    public func webVTT(plan: PagePlan) -> String {
        func time(_ ms: Int) -> String {
            String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
        }
        let words = marks.filter { $0.type == "word" }
        var out = "WEBVTT\n\n"
        for (i, m) in words.enumerated() {
            let end = max(m.timeMs + 1, i + 1 < words.count ? words[i + 1].timeMs : durationMs)
            let scalars = Array(plan.content.passages[m.passage].text.unicodeScalars)
            let text = String(String.UnicodeScalarView(scalars[m.offset..<min(scalars.count, m.offset + m.length)]))
            out += "p\(m.passage)-\(m.offset)\n\(time(m.timeMs)) --> \(time(end))\n\(text)\n\n"
        }
        return out
    }
}
