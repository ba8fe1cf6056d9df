import HTTPTypes

/// Headers HTTPTypes does not name.
extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
