public import Hummingbird
public import NIOCore

/// The request context of the portal's routes: Hummingbird's core storage
/// and the client's address, which the login and recovery rate limits count by.
public struct PortalRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the browser, or the reverse proxy in front of the portal).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small.
    public var maxUploadSize: Int { 64 * 1024 }
}
