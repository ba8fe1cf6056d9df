import CEspeakNG
import QariText

/// An error reported by eSpeak NG or by the engine wrapper.
public struct SpeechEngineError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The eSpeak NG engine of this process, behind a safe API.
///
/// eSpeak NG keeps its state in globals and is not thread-safe, so a process has at most one engine and uses it from
/// one thread; the daemon runs engines in `qari worker` processes, never in itself.
public final class SpeechEngine {
    /// Samples per second of the PCM the engine produces.
    public let sampleRate: Int
    private var currentVoice: String?
    // Safe: `created` is only touched by `init`, and a process makes its one engine on one thread (documented
    // above); a second engine traps here instead of corrupting eSpeak's globals.
    private nonisolated(unsafe) static var created = false

    /// Starts eSpeak NG with its data at `dataPath` (nil: the system's).
    public init(dataPath: String? = nil, bufferMilliseconds: Int = 40) throws {
        precondition(!Self.created, "one SpeechEngine per process: eSpeak NG keeps global state")
        Self.created = true
        let rate = espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, Int32(bufferMilliseconds), dataPath, Int32(espeakINITIALIZE_DONT_EXIT))
        guard rate > 0 else {
            throw SpeechEngineError("eSpeak NG could not start (data path \(dataPath ?? "default"))")
        }
        sampleRate = Int(rate)
        espeak_SetSynthCallback(qariSynthCallback)
    }

    /// The version of the linked libespeak-ng (a static string: no engine is started to ask).
    public static var libraryVersion: String {
        espeak_Info(nil).map { String(cString: $0) } ?? "unknown"
    }

    /// Loads `voice` (its dictionary and phoneme tables) so that a child forked after this starts with it.
    func preload(voice: String) {
        try? select(voice: voice)
    }

    private func select(voice: String) throws {
        if voice == currentVoice { return }
        clearWaveQueue()
        let err = espeak_SetVoiceByName(voice)
        guard err == EE_OK else {
            currentVoice = nil
            throw SpeechEngineError("eSpeak NG has no voice \"\(voice)\"")
        }
        currentVoice = voice
    }

    /// Empties eSpeak's queue of commands for its wave generator, so that the next voice change is the one command
    /// waiting in it.
    ///
    /// eSpeak queues a voice change there, and only a synthesis takes commands out. A worker selects voices and
    /// leaves synthesis to its children, so each change stayed queued: every child started behind them, and once a
    /// few dozen piled up in the 170-entry ring a text lost its first marks, then its speech was cut short. A
    /// synthesis of nothing that stops at its first callback applies the queued changes (the next one replaces
    /// them) and empties the queue; it makes no sound.
    private func clearWaveQueue() {
        let collector = SynthCollector(sink: { _, _ in }, origin: nil, stop: true)
        withExtendedLifetime(collector) {
            let context = Unmanaged.passUnretained(collector).toOpaque()
            // Stopped by the callback: eSpeak reports that as an error, which is the point here.
            _ = espeak_Synth("", 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, context)
        }
    }

    /// Synthesizes `text`, handing audio chunks and marks to `sink` as eSpeak produces them.
    public func synthesize(
        text: String, voice: String, options: SynthesisOptions,
        sink: (_ samples: UnsafeBufferPointer<Int16>, _ marks: [EngineMark]) -> Void
    ) throws -> Int {
        try select(voice: voice)
        espeak_SetParameter(espeakRATE, Int32(options.rate.clamped(to: SynthesisOptions.rateRange)), 0)
        espeak_SetParameter(espeakPITCH, Int32(options.pitch.clamped(to: SynthesisOptions.pitchRange)), 0)
        espeak_SetParameter(espeakVOLUME, Int32(options.volume.clamped(to: SynthesisOptions.volumeRange)), 0)
        var flags = UInt32(espeakCHARS_UTF8)
        if options.ssml { flags |= UInt32(espeakSSML) }
        if options.phonemeInput { flags |= UInt32(espeakPHONEMES) }

        // French: words eSpeak would hand to English are respelled the French way (positions traced back).
        var text = text
        var origin: [Int]?
        if voice.hasPrefix("fr"), !options.ssml, let respelled = respelledFrench(text) {
            text = respelled.text
            origin = respelled.origin
            // Phonemes of a loanword no respelling kept French; the caller's own brackets were taken out.
            if respelled.phonemes { flags |= UInt32(espeakPHONEMES) }
        }
        // The collector lives only for this call: eSpeak calls back synchronously, before espeak_Synth returns.
        return try withoutActuallyEscaping(sink) { sink in
            let collector = SynthCollector(sink: sink, origin: origin)
            let err: espeak_ERROR = withExtendedLifetime(collector) {
                let context = Unmanaged.passUnretained(collector).toOpaque()
                return text.withCString { cText in
                    espeak_Synth(cText, text.utf8.count + 1, 0, POS_CHARACTER, 0, flags, nil, context)
                }
            }
            guard err == EE_OK else { throw SpeechEngineError("eSpeak NG synthesis failed (error \(err.rawValue))") }
            return collector.totalSamples
        }
    }

    /// Whether eSpeak's current voice would read some of `text` (a word, or whole clauses) with another language's
    /// rules.
    private func switchesLanguage(_ text: String) -> Bool {
        clausePhonemes(text, ipa: false, until: { $0.contains("(") }).last?.contains("(") ?? false
    }

    /// The phonemes of each clause of `text` in the current voice, up to and with the first one `until` accepts.
    private func clausePhonemes(_ text: String, ipa: Bool, until: (String) -> Bool = { _ in false }) -> [String] {
        var clauses: [String] = []
        text.withCString { cText in
            var pointer: UnsafeRawPointer? = UnsafeRawPointer(cText)
            while let current = pointer, current.load(as: UInt8.self) != 0 {
                var p: UnsafeRawPointer? = current
                let mode = Int32(ipa ? espeakPHONEMES_IPA : 0)
                guard let out = espeak_TextToPhonemes(&p, Int32(espeakCHARS_UTF8), mode) else { break }
                clauses.append(String(cString: out))
                if until(clauses[clauses.count - 1]) || p == current { break }
                pointer = p
            }
        }
        return clauses
    }

    private func respelledFrench(_ text: String) -> (text: String, origin: [Int], phonemes: Bool)? {
        // Most French text switches nowhere: one pass over it says so, and no word is asked alone.
        guard switchesLanguage(text) else { return nil }
        return FrenchSpelling.respell(text, switches: { switchesLanguage($0) }, englishPhonemes: englishPhonemes)
    }

    /// The phonemes eSpeak's English rules give a word the current voice hands to English (`(en)…(fr)`).
    private func englishPhonemes(_ word: String) -> String? {
        let all = clausePhonemes(word, ipa: false).joined(separator: " ")
        guard let start = all.range(of: "(en)") else { return nil }
        let rest = all[start.upperBound...]
        return String(rest[..<(rest.range(of: "(")?.lowerBound ?? rest.endIndex)])
    }

    /// The phonemes eSpeak would speak for `text`, as eSpeak mnemonics or IPA, one clause per line.
    public func phonemes(text: String, voice: String, ipa: Bool) throws -> String {
        try select(voice: voice)
        var text = text
        var phonemeInput = false
        if voice.hasPrefix("fr"), let respelled = respelledFrench(text) {
            text = respelled.text
            phonemeInput = respelled.phonemes
        }
        if phonemeInput || text.contains("[[") {
            // espeak_TextToPhonemes reads `[[…]]` as phonemes only once a synthesis has switched phoneme input on.
            let empty = " "
            _ = empty.withCString {
                espeak_Synth($0, 2, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8 | espeakPHONEMES), nil, nil)
            }
        }
        let lines = clausePhonemes(text, ipa: ipa).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        return lines.joined(separator: "\n")
    }
}

/// Receives eSpeak's callbacks for one `espeak_Synth` call.
private final class SynthCollector {
    let sink: (UnsafeBufferPointer<Int16>, [EngineMark]) -> Void
    /// For each code point of the text eSpeak reads, the caller's code point (nil: the same text).
    let origin: [Int]?
    /// Whether eSpeak is told to stop at the first callback.
    let stop: Bool
    var totalSamples = 0

    init(sink: @escaping (UnsafeBufferPointer<Int16>, [EngineMark]) -> Void, origin: [Int]?, stop: Bool = false) {
        self.sink = sink
        self.origin = origin
        self.stop = stop
    }

    /// A mark's range in the text eSpeak read, as a range of the caller's text.
    func traced(_ mark: EngineMark) -> EngineMark {
        guard let origin, !origin.isEmpty else { return mark }
        var m = mark
        let start = origin[min(max(mark.position, 0), origin.count - 1)]
        let last = origin[min(max(mark.position + max(mark.length, 1) - 1, 0), origin.count - 1)]
        m.position = start
        m.length = mark.length == 0 ? 0 : max(1, last - start + 1)
        return m
    }
}

private func qariSynthCallback(
    _ wav: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?
) -> Int32 {
    guard let events, let context = events.pointee.user_data else { return 0 }
    let collector = Unmanaged<SynthCollector>.fromOpaque(context).takeUnretainedValue()
    var marks: [EngineMark] = []
    var e = events
    while e.pointee.type != espeakEVENT_LIST_TERMINATED {
        var ev = e.pointee
        // eSpeak reports position 0 for some events (clause ends in French pages): never let one go negative.
        ev.text_position = max(ev.text_position, 1)
        ev.length = max(ev.length, 0)
        ev.sample = max(ev.sample, 0)
        switch ev.type {
        case espeakEVENT_WORD:
            marks.append(
                EngineMark(
                    kind: .word, position: Int(ev.text_position) - 1, length: Int(ev.length), sample: Int(ev.sample)))
        case espeakEVENT_SENTENCE:
            marks.append(
                EngineMark(
                    kind: .sentence, position: Int(ev.text_position) - 1, length: Int(ev.length),
                    sample: Int(ev.sample)))
        case espeakEVENT_MARK:
            let name = ev.id.name.map { String(cString: $0) } ?? ""
            marks.append(
                EngineMark(
                    kind: .mark, position: Int(ev.text_position) - 1, length: 0, sample: Int(ev.sample), name: name))
        default:
            break
        }
        e += 1
    }
    let n = wav == nil ? 0 : Int(max(count, 0))
    collector.totalSamples += n
    collector.sink(UnsafeBufferPointer(start: wav, count: n), marks.map(collector.traced))
    return collector.stop ? 1 : 0
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
