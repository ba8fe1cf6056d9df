import Configuration
import Foundation
import Synchronization

/// What a settings read found: each key read with its value, and each value that did not convert.
///
/// The keys themselves are declared in `Settings`; this is what `--check-config` prints and how a value of the
/// wrong type is told.
public final class SettingsReport: AccessReporter, Sendable {
    /// One key as read: its value (nil when unset and without a default) and whether it is secret.
    public struct Entry: Sendable {
        public var key: String
        public var value: String?
        public var isSecret: Bool
    }

    private let state = Mutex<(entries: [Entry], problems: [String])>(([], []))

    public init() {}

    public func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        var problem: String?
        if let error = event.conversionError { problem = "\(key): \(error)" }
        for provider in event.providerResults {
            if case .failure(let error) = provider.result { problem = "\(key): \(error)" }
        }
        var value: String?
        var secret = false
        if case .success(let v) = event.result, let v {
            secret = v.isSecret
            value = Self.text(v.content)
        }
        state.withLock {
            if let index = $0.entries.firstIndex(where: { $0.key == key }) {
                $0.entries[index] = Entry(key: key, value: value, isSecret: secret)
            } else {
                $0.entries.append(Entry(key: key, value: value, isSecret: secret))
            }
            if let problem, !$0.problems.contains(problem) { $0.problems.append(problem) }
        }
    }

    /// The keys read, in the order read, with their values.
    public var entries: [Entry] { state.withLock { $0.entries } }
    /// Values that did not convert to their key's type.
    public var problems: [String] { state.withLock { $0.problems } }

    static func text(_ content: ConfigContent) -> String {
        switch content {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .stringArray(let a): a.joined(separator: ",")
        case .intArray(let a): a.map(String.init).joined(separator: ",")
        case .doubleArray(let a): a.map { String($0) }.joined(separator: ",")
        case .boolArray(let a): a.map(String.init).joined(separator: ",")
        case .bytes, .byteChunkArray: "(bytes)"
        }
    }
}
