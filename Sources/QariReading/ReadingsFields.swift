import Foundation
import QariPage
import QariSpeech
import QariText

/// A reading's form fields spoken each on its own: `field-N.ogg` and `field-N.json` beside the reading's audio,
/// made one after another once the reading is made (the first `premadeFields`; the others when first asked for),
/// so that a field's description plays at once when the listener moves into it.
extension Readings {
    /// How many of a reading's fields are spoken as soon as the reading is made.
    public static let premadeFields = 64
    /// How many finished fields are kept in memory while their reading is not stored.
    static let fieldsInMemory = 256

    /// The names of field `index`'s audio and marks, in the store and in the reading's addresses.
    public static func fieldAudioName(_ index: Int) -> String { "field-\(index).ogg" }
    public static func fieldMarksName(_ index: Int) -> String { "field-\(index).json" }

    /// The field a reading's file name is of (`field-3.ogg` → 3, true for the audio); nil when it is none.
    public static func field(ofFile name: String) -> (index: Int, isAudio: Bool)? {
        guard name.hasPrefix("field-") else { return nil }
        let rest = name.dropFirst("field-".count)
        let isAudio = rest.hasSuffix(".ogg")
        guard isAudio || rest.hasSuffix(".json") else { return nil }
        let digits = rest.dropLast(isAudio ? 4 : 5)
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy(\.isASCII), let index = Int(digits),
            String(index) == digits
        else { return nil }
        return (index, isAudio)
    }

    static func fieldKey(_ id: String, _ index: Int) -> String { "\(id)/field-\(index)" }

    /// The jobs of a reading's fields, with their keys.
    func fieldJobs(_ id: String) -> [(String, ReadingJob)] {
        jobs.filter { $0.key.hasPrefix(id + "/") }.map { ($0.key, $0.value) }
    }

    /// Field `index`'s audio (Ogg); made now if nobody has.
    public func fieldAudio(_ reading: Reading, _ index: Int) async -> Audio {
        let key = Self.fieldKey(reading.id, index)
        let name = Self.fieldAudioName(index)
        if let job = jobs[key], let bytes = job.completeAudio(.ogg) { return .bytes(bytes) }
        if jobs[key] == nil, !reading.isPrivate, let store, await store.file(reading.id, name) != nil {
            return .file(directory: store.directory, name: ReadingStore.relative(reading.id, name))
        }
        return .live(fieldJob(reading, index).audio(.ogg))
    }

    /// Field `index`'s marks, once its audio is made (made now if nobody has).
    public func fieldMarks(_ reading: Reading, _ index: Int) async throws -> ReadingMarks {
        let key = Self.fieldKey(reading.id, index)
        if let job = jobs[key], let marks = job.completeMarks() { return marks }
        if jobs[key] == nil, !reading.isPrivate, let data = await store?.read(reading.id, Self.fieldMarksName(index)),
            let marks = try? JSONDecoder().decode(ReadingMarks.self, from: data)
        {
            return marks
        }
        let job = fieldJob(reading, index)
        for try await _ in job.marks() {}
        guard let marks = job.completeMarks() else { throw MarksUnavailable() }
        return marks
    }

    /// The job that speaks field `index`: the one being made, else a new one.
    func fieldJob(_ reading: Reading, _ index: Int) -> ReadingJob {
        let key = Self.fieldKey(reading.id, index)
        if let job = jobs[key], !job.failed { return job }
        let field = Reading(
            id: reading.id, plan: reading.plan.fieldPlan(index), options: reading.options,
            isPrivate: reading.isPrivate)
        let job = ReadingJob(reading: field, format: .ogg, field: index, abandonAfter: abandonAfter) {
            [weak self] job in Task { await self?.listenersLeft(job) }
        }
        start(job, key: key)
        return job
    }

    /// A field's finished job: into the store beside its reading when that is stored, else kept in memory a while
    /// (a private reading's, with it until it goes).
    func keepField(_ job: ReadingJob, _ index: Int) async {
        let id = job.reading.id
        let key = Self.fieldKey(id, index)
        guard let audio = job.completeAudio(.ogg), let marks = job.completeMarks() else {
            if jobs[key] === job { jobs[key] = nil }
            return
        }
        if job.reading.isPrivate {
            if privates.entries[id] == nil { jobs[key] = nil }
            sweepPrivate(keeping: id)
            return
        }
        if let store, await store.contains(id) {
            do {
                // The marks first: audio found in the store always has its marks.
                try await store.add(id, Self.fieldMarksName(index), Array(try JSONEncoder().encode(marks)))
                try await store.add(id, Self.fieldAudioName(index), audio)
                if await store.read(id, Self.fieldAudioName(index)) != nil {
                    if jobs[key] === job { jobs[key] = nil }
                    return
                }
            } catch {
                // A failing disk is logged by the store; the field stays in memory.
            }
        }
        guard !finishedFields.contains(key) else { return }
        finishedFields.append(key)
        if finishedFields.count > Self.fieldsInMemory {
            let old = finishedFields.removeFirst()
            if let done = jobs[old], done.completeAudio(.ogg) != nil { jobs[old] = nil }
        }
    }

    /// Speaks the reading's first fields one after another, each once (a field made before its reading was
    /// stored goes into the store now). Stops at the first that fails: busy workers serve listeners first.
    func premakeFields(_ reading: Reading) {
        let count = min(reading.plan.content.fields.count, Self.premadeFields)
        guard count > 0 else { return }
        Task { [weak self] in
            for index in 0..<count {
                guard let self, await self.premakeField(reading, index) else { return }
            }
        }
    }

    /// Makes field `index` unless it is made; false when it could not be made.
    private func premakeField(_ reading: Reading, _ index: Int) async -> Bool {
        let key = Self.fieldKey(reading.id, index)
        if reading.isPrivate, privates.entries[reading.id] == nil { return false }
        if let job = jobs[key], job.completeAudio(.ogg) != nil {
            await keepField(job, index)
            return true
        }
        if jobs[key] == nil, !reading.isPrivate,
            await store?.read(reading.id, Self.fieldAudioName(index)) != nil
        {
            return true
        }
        let job = fieldJob(reading, index)
        await job.state.withLock { $0.task }?.value
        return !job.failed
    }
}

extension PagePlan {
    /// The plan of field `index` alone: its text as the one passage, in its voice.
    func fieldPlan(_ index: Int) -> PagePlan {
        let field = content.fields[index]
        let passage = Passage(lang: field.lang, text: field.text, locator: [field.locator])
        return PagePlan(
            content: PageContent(lang: field.lang, title: "", passages: [passage], isPrivate: content.isPrivate),
            voices: [fieldVoices[index]], fieldVoices: [])
    }

    init(content: PageContent, voices: [Voice], fieldVoices: [Voice]) {
        self.content = content
        self.voices = voices
        self.fieldVoices = fieldVoices
    }
}
