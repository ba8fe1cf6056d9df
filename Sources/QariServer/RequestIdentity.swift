import Foundation
import Hummingbird

/// Who is asking: the request's id, and the client the limits count against (behind trusted proxies, the address
/// they forwarded for).
struct RequestIdentity: Sendable {
    private let proxies: [IPRange]

    init(trustedProxies: [String]) {
        proxies = trustedProxies.compactMap(IPRange.init)
    }

    /// The caller's id if it is a plain token, else a new one.
    static func requestID(_ given: String?) -> String {
        if let given, (1...64).contains(given.utf8.count),
            given.utf8.allSatisfy({
                $0 == 45 || $0 == 46 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0)
                    || (97...122).contains($0)
            })
        {
            return given
        }
        var bytes = [UInt8](repeating: 0, count: 8)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The peer, or, when the peer is a trusted proxy, the last address in `X-Forwarded-For` that is not one.
    func client(of request: Request, peer: String?) -> String {
        guard let peer else { return "unknown" }
        guard proxies.contains(where: { $0.contains(peer) }), let forwarded = request.headers[.xForwardedFor] else {
            return peer
        }
        let hops = forwarded.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !hop.isEmpty {
            if !proxies.contains(where: { $0.contains(hop) }) { return IPRange.parse(hop) != nil ? hop : peer }
        }
        return peer
    }
}
