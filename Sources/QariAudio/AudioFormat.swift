/// An audio container Qari can produce.
public enum AudioFormat: String, CaseIterable, Sendable {
    case wav, ogg, mp3

    /// The Content-Type of this format.
    public var mimeType: String {
        switch self {
        case .wav: "audio/wav"
        case .ogg: "audio/ogg"
        case .mp3: "audio/mpeg"
        }
    }

    /// The format named by a `format` field or a file extension (`opus` and `mpeg` accepted too).
    public init?(name: String) {
        switch name.lowercased() {
        case "wav", "wave": self = .wav
        case "ogg", "opus", "oga": self = .ogg
        case "mp3", "mpeg": self = .mp3
        default: return nil
        }
    }

    /// The format for a MIME type (`audio/x-wav`, `audio/ogg; codecs=opus`, …), if it is one of ours.
    public init?(mimeType: String) {
        let base = mimeType.split(separator: ";").first.map { $0.trimmingCharacters() } ?? ""
        switch base.lowercased() {
        case "audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave": self = .wav
        case "audio/ogg", "audio/opus", "application/ogg": self = .ogg
        case "audio/mpeg", "audio/mp3": self = .mp3
        default: return nil
        }
    }

    /// Chooses from an HTTP Accept header: the first acceptable format by quality, nil when none is acceptable.
    /// An absent header, `*/*` or `audio/*` gives `fallback`.
    public static func negotiate(accept: String?, fallback: AudioFormat = .wav) -> AudioFormat? {
        guard let accept, !accept.trimmingCharacters().isEmpty else { return fallback }
        var best: (format: AudioFormat, q: Double)?
        for part in accept.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters() }
            guard let type = fields.first?.lowercased() else { continue }
            var q = 1.0
            for f in fields.dropFirst() where f.lowercased().hasPrefix("q=") {
                q = Double(f.dropFirst(2)) ?? 0
            }
            guard q > 0 else { continue }
            let format: AudioFormat? =
                (type == "*/*" || type == "audio/*") ? fallback : AudioFormat(mimeType: String(type))
            if let format, best == nil || q > best!.q { best = (format, q) }
        }
        return best?.format
    }
}

extension AudioFormat {
    /// A fresh encoder for mono PCM at `sampleRate`.
    public func makeEncoder(sampleRate: Int) throws -> any AudioEncoder {
        switch self {
        case .wav: WAVEncoder(sampleRate: sampleRate)
        case .ogg: try OpusEncoder(sampleRate: sampleRate)
        case .mp3: try MP3Encoder(sampleRate: sampleRate)
        }
    }
}

extension StringProtocol {
    /// This text without the spaces around it.
    fileprivate func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
