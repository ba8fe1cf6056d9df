import QariPage
import QariSpeech
import QariText

/// A page's passages with the voice that reads each.
public struct PagePlan: Sendable {
    public var content: PageContent
    /// The voice of each passage.
    public var voices: [Voice]

    /// The plan for `content`; `overrides` maps a language to a voice id (`zgh` → `shi`).
    public init(content: PageContent, overrides: [String: String] = [:]) throws(ReadingError) {
        for (lang, id) in overrides where VoiceCatalog.voice(named: id) == nil {
            throw .unknownVoice(lang: lang, voice: id)
        }
        guard !content.passages.isEmpty else { throw .nothingToRead }
        self.content = content
        let pageVoice = VoiceCatalog.voice(named: content.lang) ?? VoiceCatalog.voice(named: "fr")!
        voices = content.passages.map { p in
            VoiceCatalog.voice(named: overrides[p.lang] ?? p.lang) ?? pageVoice
        }
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
            passages: content.passages.indices.map { i in
                let p = content.passages[i]
                return PlanDocument.Item(index: i, lang: p.lang, voice: voices[i].id, text: p.text, locator: p.locator)
            },
            marks: pageMarks)
    }
}

/// A word, sentence or SSML mark on a page: which passage, where in its text, when.
public struct PageMark: Sendable, Codable, Equatable {
    public var type: String
    public var passage: Int
    /// Code-point offset in the passage's text.
    public var offset: Int
    public var length: Int
    public var timeMs: Int
    public var name: String?

    enum CodingKeys: String, CodingKey {
        case type, passage, offset, length, name
        case timeMs = "time_ms"
    }
}

/// The reading plan of a page.
public struct PlanDocument: Sendable, Encodable {
    public struct Item: Sendable, Encodable {
        public var index: Int
        public var lang: String
        public var voice: String
        public var text: String
        public var locator: [TextLocator]
    }
    public var lang: String
    public var title: String
    public var durationMs: Int
    public var passages: [Item]
    public var marks: [PageMark]

    enum CodingKeys: String, CodingKey {
        case lang, title, passages, marks
        case durationMs = "duration_ms"
    }
}
