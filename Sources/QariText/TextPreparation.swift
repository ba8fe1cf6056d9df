/// The text a voice is given, before Arabic vowels are restored: headings closed, the caller's brackets taken out,
/// the lexicons applied, then the Amazigh front end or the normaliser.
public enum TextPreparation {
    /// `text` made ready for `voice`, traced back to `text`.
    public static func prepare(_ text: String, voice: Voice, lexicons: LexiconSet, headings: Bool = true)
        -> SpokenText
    {
        var spoken = headings ? SpokenText.prepare(text) : SpokenText.verbatim(text)
        // `[[` would open eSpeak phoneme input: only the lexicons' phonemes may.
        if spoken.spokenString.contains("[[") { spoken = spoken.then(SpokenText.withoutBrackets(spoken.spokenString)) }
        // The linguists' words first: an alias is read like any text, a phoneme entry is left as it is. Amazigh
        // voices take the standard's (zgh) lexicons, then their variety's.
        if !lexicons.lexicons.isEmpty {
            let languages =
                voice.amazighVariety == nil || voice.language == "zgh" ? [voice.language] : ["zgh", voice.language]
            for language in languages {
                spoken = spoken.then(lexicons.apply(spoken.spokenString, language: language))
            }
        }
        if let variety = voice.amazighVariety {
            return spoken.then(AmazighFrontEnd.prepare(spoken.spokenString, variety: variety).spoken)
        }
        if let language = TextNormalizer.Language(tag: voice.language) {
            spoken = spoken.then(TextNormalizer.normalize(spoken.spokenString, language: language))
        }
        return spoken
    }

    /// What each voice of `text` is given, run by run (Latin inside Arabic goes to French), with the numbers the
    /// engine reads itself written out in words as it says them; no vowel marks are added. For `qari normalize`.
    public static func normalized(_ text: String, voice: Voice, lexicons: LexiconSet) -> String {
        let scalars = Array(text.unicodeScalars)
        var parts: [String] = []
        for run in ScriptRuns.split(text, voice: voice) {
            let piece = String(String.UnicodeScalarView(scalars[run.range]))
            let spoken = prepare(piece, voice: run.voice, lexicons: lexicons, headings: false).spokenString
            if let language = TextNormalizer.Language(tag: run.voice.language), run.voice.amazighVariety == nil {
                parts.append(NumberWords.writtenOut(spoken, language: language))
            } else {
                parts.append(spoken)
            }
        }
        return parts.joined()
    }
}
