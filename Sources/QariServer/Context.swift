import Hummingbird
import NIOCore

/// What a request carries through the daemon: Hummingbird's core context, the peer's address and the request id.
public struct QariContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer (nil in router tests without a connection).
    public let remoteAddress: SocketAddress?
    /// The id of this request, in the log line and the `X-Request-Id` header.
    public var requestID = ""
    /// The client the limits count against: the peer, or the address a trusted proxy forwarded for.
    public var client = "unknown"

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
