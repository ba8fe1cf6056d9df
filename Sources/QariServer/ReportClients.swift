import Foundation
import QariReading

/// What the report limit counts a client by: a hash of its address with a salt drawn at start and the day, so no
/// address is kept, and nothing links one day's counts to the next.
final class ReportClients: Sendable {
    private let salt: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    func key(_ client: String, now: Date = Date()) -> String {
        let day = Int(now.timeIntervalSince1970 / 86_400)
        return ContentHash.sha256(salt + Array("\(day) \(client)".utf8))
    }
}
