/// Cuts text into runs that each need their own voice, by script: Tifinagh → an Amazigh voice, Arabic script →
/// `ar`, Latin inside Arabic or Tifinagh → `fr`. Digits, punctuation and spaces never switch the voice.
public enum ScriptRuns {
    /// A run of the caller's text (code-point range) and the voice that reads it.
    public struct Run: Sendable, Equatable {
        public var range: Range<Int>
        public var voice: Voice

        public init(range: Range<Int>, voice: Voice) {
            self.range = range
            self.voice = voice
        }
    }

    /// The runs of `text` for a request in `voice`: one run unless the text mixes scripts that voice cannot read.
    public static func split(_ text: String, voice: Voice) -> [Run] {
        let scalars = Array(text.unicodeScalars)
        // Arabic: the page's rule, so that a request and a page read the same text with the same voices (Latin in
        // French, but the Latin words Arabic reads itself).
        if voice.language == "ar" {
            let french = VoiceCatalog.voice(named: "fr")!
            let amazigh = VoiceCatalog.voice(named: "zgh")!
            let runs = LanguageRuns.split(scalars, lang: "ar").map { range, lang in
                Run(range: range, voice: lang == "ar" ? voice : lang == "fr" ? french : amazigh)
            }
            return runs.isEmpty ? [Run(range: 0..<scalars.count, voice: voice)] : runs
        }
        let hasTifinagh = scalars.contains { Script.of($0) == .tifinagh }
        let amazigh = voice.amazighVariety != nil ? voice : VoiceCatalog.voice(named: "zgh")!
        let arabic = VoiceCatalog.voice(named: "ar")!
        let french = VoiceCatalog.voice(named: "fr")!
        // An address is read in French by an Amazigh voice, as Latin in Tifinagh text is.
        var inAddress = [Bool](repeating: false, count: voice.amazighVariety != nil ? scalars.count : 0)
        if voice.amazighVariety != nil {
            var i = 0
            while i < scalars.count {
                if i == 0 || !Address.isWordChar(scalars[i - 1]), let a = Address.parse(scalars, at: i) {
                    for k in a.range { inAddress[k] = true }
                    i = a.range.upperBound
                } else {
                    i += 1
                }
            }
        }
        func voiceFor(_ s: Script, at i: Int) -> Voice {
            switch s {
            case .tifinagh: amazigh
            case .arabic: voice.id == "ar" ? voice : arabic
            // Latin is IRCAM Latin for an Amazigh voice, unless the text is written in Tifinagh or the word is in an
            // address; other voices read Latin as they always have.
            case .latin: voice.amazighVariety != nil && (hasTifinagh || inAddress[i]) ? french : voice
            }
        }
        var runs: [Run] = []
        for (i, c) in scalars.enumerated() {
            guard let s = Script.of(c) else { continue }
            let v = voiceFor(s, at: i)
            if let last = runs.last, last.voice == v { continue }
            if runs.isEmpty {
                runs.append(Run(range: 0..<i, voice: v))
            } else {
                runs[runs.count - 1].range = runs[runs.count - 1].range.lowerBound..<i
                runs.append(Run(range: i..<i, voice: v))
            }
        }
        guard !runs.isEmpty else { return [Run(range: 0..<scalars.count, voice: voice)] }
        runs[runs.count - 1].range = runs[runs.count - 1].range.lowerBound..<scalars.count
        return runs
    }
}
