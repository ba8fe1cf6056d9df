import Foundation

/// Who may call what: API keys for the portal's routes, per-client limits on the widget's, trusted proxies, CORS.
public struct AccessConfiguration: Sendable, Equatable {
    /// Keys the portal server sends as `Authorization: Bearer KEY`; several, so a key can be rotated. Empty: the
    /// portal's routes are open (for development on loopback; `qari serve` refuses that on other addresses).
    public var apiKeys: [String] = []
    /// Peers whose `X-Forwarded-For` is believed (nginx on loopback, say); IP addresses or IPv4 CIDR ranges.
    public var trustedProxies: [String] = []
    /// Origins whose pages may call the widget's routes from a browser (`*`: any).
    public var corsOrigins: [String] = []
    /// New readings (`POST /v1/readings`) a client may ask for per minute, and in one burst.
    public var readingsPerMinute = Settings.readingsPerMinute.default
    public var readingsBurst = Settings.readingsBurst.default
    /// Requests to the widget's routes a client may make per minute, and in one burst.
    public var requestsPerMinute = Settings.requestsPerMinute.default
    public var requestsBurst = Settings.requestsBurst.default
    /// Requests of one client being answered at once (audio and marks streams count until they end).
    public var concurrentPerClient = Settings.concurrentPerClient.default
    /// Pronunciation reports (`POST /v1/reports`) a client may send per hour.
    public var reportsPerHour = Settings.reportsPerHour.default

    public init() {}

    /// Whether `text` is an IP address or an IPv4/IPv6 range (`10.0.0.0/8`).
    public static func isAddressOrRange(_ text: String) -> Bool { IPRange(text) != nil }

    /// Whether `text` is a web origin (`https://www.service-public.ma`, `http://127.0.0.1:8080`) or `*`.
    public static func isOrigin(_ text: String) -> Bool {
        if text == "*" { return true }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else { return false }
        return url.path.isEmpty && url.query == nil && url.fragment == nil && url.user == nil
    }
}
