import Synchronization

/// The phonemes of words reported lately, by reading, place and lexicons (bounded: the oldest half goes first).
final class ReportPhonemes: Sendable {
    private let memo = Mutex<(values: [String: String], order: [String])>(([:], []))

    func get(_ key: String) -> String? { memo.withLock { $0.values[key] } }

    func put(_ key: String, _ value: String) {
        memo.withLock { m in
            if m.values.updateValue(value, forKey: key) == nil { m.order.append(key) }
            if m.order.count > 4096 {
                for old in m.order.prefix(2048) { m.values[old] = nil }
                m.order.removeFirst(2048)
            }
        }
    }
}
