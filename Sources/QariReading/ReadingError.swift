import Foundation
import Logging
import QariPage
import QariSpeech
import QariText
import QariWorkers

/// Why a page cannot be read or planned, beyond the page's own errors (`PageError`).
public enum ReadingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The page has no main content.
    case nothingToRead
    /// A voice override names no voice.
    case unknownVoice(lang: String, voice: String)
    /// A display mode that does not parse.
    case unknownMode(String)
    /// A page worker's answer could not be read.
    case badAnswer(String)

    public var description: String {
        switch self {
        case .nothingToRead: "the page has no main content to read (all of it is navigation, controls or hidden)"
        case .unknownVoice(let lang, let voice):
            "no voice \"\(voice)\" for \(lang); available voices: \(VoiceCatalog.ids.joined(separator: ", "))"
        case .unknownMode(let detail): detail
        case .badAnswer(let detail): "the page worker's answer could not be read: \(detail)"
        }
    }
}
