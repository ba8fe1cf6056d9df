import QariPage
import QariSpeech
import QariText

/// A page's passages with the voice that reads each.
public struct PagePlan: Sendable {
    public var content: PageContent
    /// The voice of each passage.
    public var voices: [Voice]
    /// The voice of each form field.
    public var fieldVoices: [Voice]

    /// The plan for `content`; `overrides` maps a language to a voice id (`zgh` → `shi`).
    public init(content: PageContent, overrides: [String: String] = [:]) throws(ReadingError) {
        for (lang, id) in overrides where VoiceCatalog.voice(named: id) == nil {
            throw .unknownVoice(lang: lang, voice: id)
        }
        guard !content.passages.isEmpty else { throw .nothingToRead }
        self.content = content
        voices = Self.voices(for: content.passages.map(\.lang), pageLang: content.lang, overrides: overrides)
        fieldVoices = Self.voices(for: content.fields.map(\.lang), pageLang: content.lang, overrides: overrides)
    }

    /// The voice of each language: its override, else its own, else the page's (else French).
    static func voices(for langs: [String], pageLang: String, overrides: [String: String]) -> [Voice] {
        let pageVoice = VoiceCatalog.voice(named: pageLang) ?? VoiceCatalog.voice(named: "fr")!
        return langs.map { VoiceCatalog.voice(named: overrides[$0] ?? $0) ?? pageVoice }
    }

    /// What the speaker reads: each passage in its voice.
    public var passages: [SpokenPassage] {
        zip(content.passages, voices).map { SpokenPassage(text: $0.text, voice: $1) }
    }

    /// Every passage's text, one per line (for warnings about letters read by a stand-in).
    public var text: String { content.passages.map(\.text).joined(separator: "\n") }

    /// A speaker's mark as a mark on the page, kept within its passage's text.
    public func pageMark(_ mark: Mark) -> PageMark {
        let index = min(max(mark.passage, 0), content.passages.count - 1)
        let length = content.passages[index].text.unicodeScalars.count
        let offset = min(mark.start, length)
        return PageMark(
            type: mark.type.rawValue, passage: index, offset: offset, length: min(mark.length, length - offset),
            timeMs: mark.timeMs, name: mark.name)
    }

    /// What `/v1/read/plan` and `qari read --marks` give: passages with voices and locators, and the marks.
    public func document(marks: [Mark], durationMs: Int) -> PlanDocument {
        document(pageMarks: marks.map(pageMark), durationMs: durationMs)
    }

    /// The plan document with marks already on the page.
    public func document(pageMarks: [PageMark], durationMs: Int) -> PlanDocument {
        PlanDocument(
            lang: content.lang, title: content.title, durationMs: durationMs,
            passages: items, marks: pageMarks)
    }

    /// Each form field with its voice, as `/v1/readings` gives it.
    public var fieldItems: [PlanField] {
        content.fields.indices.map { PlanField(index: $0, field: content.fields[$0], voice: fieldVoices[$0]) }
    }

    /// What field `index` says, in its voice.
    public func spokenField(_ index: Int) -> SpokenPassage {
        SpokenPassage(text: content.fields[index].text, voice: fieldVoices[index])
    }

    /// Each passage with its place, voice and locator, as `/v1/read/plan` and `/v1/readings` give it.
    public var items: [PlanPassage] {
        content.passages.indices.map { i in
            let p = content.passages[i]
            return PlanPassage(index: i, lang: p.lang, voice: voices[i].id, text: p.text, locator: p.locator)
        }
    }
}
