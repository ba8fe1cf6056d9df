import HTTPTypes

/// Headers HTTPTypes does not name.
extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
    /// W3C Server Timing: how long the daemon took over a step, for a browser's or a benchmark's profile.
    static let serverTiming = Self("Server-Timing")!
    /// `Qari-Privacy: private`: the page is a citizen's own (see docs/privacy.md).
    static let qariPrivacy = Self("Qari-Privacy")!
    /// `Qari-Priority: background` on a page sent for its reading, or on a reading's audio: nobody waits for it yet
    /// (`qari warm`, the daemon's own warming); it is made only with workers listeners leave idle.
    static let qariPriority = Self("Qari-Priority")!
}

extension HTTPFields {
    /// The request says `Qari-Priority: background`.
    var asksBackground: Bool { self[.qariPriority]?.lowercased() == "background" }
}
