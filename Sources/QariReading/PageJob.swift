import Foundation
import Logging
import QariPage
import QariSpeech

/// Work on one page's bytes: read its main content, or apply display modes.
public struct PageJob: Codable, Sendable, Equatable {
    public enum Operation: Codable, Sendable, Equatable {
        case read
        /// Display mode specs (`contrast:dark`, `large:200`).
        case transform(modes: [String])
        /// The form fields of a page or a fragment, in `lang` when it does not say its own.
        case fields(lang: String?)
    }

    public var operation: Operation
    /// The charset the transport named, if any.
    public var charset: String?
    public var options: PageOptions

    public init(operation: Operation, charset: String?, options: PageOptions) {
        self.operation = operation
        self.charset = charset
        self.options = options
    }

    /// Does the job on the calling thread (a page worker's main thread, whose stack holds the bounded depth).
    public func perform(bytes: [UInt8]) -> PageResult {
        do throws(PageError) {
            return finish(try PageReader.parseHere(bytes: bytes, charset: charset, options: options))
        } catch {
            return .failed(error)
        }
    }

    /// Does the job in this process, parsing on a thread of its own (for the command line).
    public func performHere(bytes: [UInt8]) async -> PageResult {
        do throws(PageError) {
            return finish(try await PageReader.parse(bytes: bytes, charset: charset, options: options))
        } catch {
            return .failed(error)
        }
    }

    private func finish(_ document: HTMLDocument) -> PageResult {
        switch operation {
        case .read:
            do throws(PageError) {
                return .content(try PageReader.extract(document, options: options))
            } catch {
                return .failed(error)
            }
        case .transform(let specs):
            do throws(DisplayTransform.TransformError) {
                return .html(DisplayTransform.transform(document, modes: try DisplayTransform.Modes.parse(specs)))
            } catch {
                return .badMode(error.description)
            }
        case .fields(let lang):
            do throws(PageError) {
                return .fields(try PageReader.fields(document, lang: lang, options: options))
            } catch {
                return .failed(error)
            }
        }
    }
}

/// What a page job gives.
public enum PageResult: Codable, Sendable {
    /// The page's main content (`read`).
    case content(PageContent)
    /// The transformed page (`transform`).
    case html(String)
    /// The form fields (`fields`).
    case fields([FormField])
    /// The page could not be read.
    case failed(PageError)
    /// A display mode that does not parse.
    case badMode(String)
}
