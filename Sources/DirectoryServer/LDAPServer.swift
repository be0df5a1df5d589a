public import DirectoryBackend
public import Habilitations
import LDAPProtocol
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle

/// The LDAP front-end (RFC 4511 over TCP, §5.1) as a swift-service-lifecycle
/// `Service`: listens, decodes PDUs, runs one `ClientSession` per connection,
/// and on graceful shutdown stops accepting and sends each open session a
/// Notice of Disconnection.
public final class LDAPServer: Service, Sendable {
    public enum State: Sendable {
        case idle
        case listening(SocketAddress)
        case stopped
    }

    public let configuration: ServerConfiguration
    private let store: any DirectoryStore
    private let policy: AccessPolicy
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (SocketAddress) -> Void

    public init(
        configuration: ServerConfiguration, store: any DirectoryStore, policy: AccessPolicy? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.store = store
        self.policy = policy ?? AccessPolicy(layout: DirectoryLayout(suffix: configuration.suffix))
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let maximumPDUSize = configuration.maximumPDUSize
        let serverChannel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LDAPMessageDecoder(maximumPDUSize: maximumPDUSize)))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(LDAPMessageEncoder()))
                    return try NIOAsyncChannel<LDAPMessage, LDAPMessage>(wrappingChannelSynchronously: channel)
                }
            }
        if let address = serverChannel.channel.localAddress {
            logger.info("listening", metadata: ["address": "\(address)"])
            onListening(address)
        }
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { inbound in
                for try await connection in inbound.cancelOnGracefulShutdown() {
                    group.addTask {
                        let session = ClientSession(
                            channel: connection, store: self.store, policy: self.policy,
                            configuration: self.configuration, logger: self.logger
                        )
                        await session.run()
                    }
                }
            }
            // Not accepting any more: end the open sessions.
            group.cancelAll()
        }
        logger.info("stopped listening")
    }
}
