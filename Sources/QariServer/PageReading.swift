import QariPage
import QariSpeech

/// A page's passages with the voice that reads each, laid end to end as one text for the speaker.
public struct PagePlan: Sendable {
    public var content: PageContent
    /// The voice of each passage.
    public var voices: [Voice]
    /// The passages joined by line breaks (a pause between blocks).
    public var text: String
    /// Code-point offset of each passage in `text`.
    public var offsets: [Int]

    /// The plan for `content`; `overrides` maps a language to a voice id (`zgh` → `shi`).
    public init(content: PageContent, overrides: [String: String] = [:]) throws(PageReadingError) {
        for (lang, id) in overrides where VoiceCatalog.voice(named: id) == nil {
            throw .unknownVoice(lang: lang, voice: id)
        }
        guard !content.passages.isEmpty else { throw .nothingToRead }
        self.content = content
        let pageVoice = VoiceCatalog.voice(named: content.lang) ?? VoiceCatalog.voice(named: "fr")!
        voices = content.passages.map { p in
            VoiceCatalog.voice(named: overrides[p.lang] ?? p.lang) ?? pageVoice
        }
        var text = ""
        var offsets: [Int] = []
        var offset = 0
        for p in content.passages {
            offsets.append(offset)
            text += p.text + "\n"
            offset += p.text.unicodeScalars.count + 1
        }
        self.text = text
        self.offsets = offsets
    }

    /// The runs the speaker reads: one per passage, in its voice.
    public var runs: [ScriptRuns.Run] {
        offsets.indices.map { i in
            let length = content.passages[i].text.unicodeScalars.count + 1
            return ScriptRuns.Run(range: offsets[i]..<offsets[i] + length, voice: voices[i])
        }
    }

    /// A mark on the joined text, as a passage index and an offset in that passage's text.
    public func pageMark(_ mark: Mark) -> PageMark {
        var index = 0
        var lo = 0
        var hi = offsets.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if offsets[mid] <= mark.start {
                index = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        let length = content.passages[index].text.unicodeScalars.count
        let offset = min(mark.start - offsets[index], length)
        return PageMark(
            type: mark.type.rawValue, passage: index, offset: offset, length: min(mark.length, length - offset),
            timeMs: mark.timeMs, name: mark.name)
    }

    /// What `/v1/read/plan` and `qari read --marks` give: passages with voices and locators, and the marks.
    public func document(marks: [Mark], durationMs: Int) -> PlanDocument {
        PlanDocument(
            lang: content.lang, title: content.title, durationMs: durationMs,
            passages: content.passages.indices.map { i in
                let p = content.passages[i]
                return PlanDocument.Item(index: i, lang: p.lang, voice: voices[i].id, text: p.text, locator: p.locator)
            },
            marks: marks.map(pageMark))
    }
}

/// A word, sentence or SSML mark on a page: which passage, where in its text, when.
public struct PageMark: Sendable, Encodable, Equatable {
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

/// Why a page cannot be planned.
public enum PageReadingError: Error, Equatable, Sendable, CustomStringConvertible {
    case nothingToRead
    case unknownVoice(lang: String, voice: String)

    public var description: String {
        switch self {
        case .nothingToRead: "the page has no main content to read"
        case .unknownVoice(let lang, let voice):
            "no voice \"\(voice)\" for \(lang); available voices: \(VoiceCatalog.ids.joined(separator: ", "))"
        }
    }
}
