public import DirectoryBackend
public import Habilitations
import LDAPProtocol
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
import NIOConcurrencyHelpers
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
    /// The service identity's store, for what Annuaire itself writes at start (the bind decoy's password).
    private let serviceStore: any DirectoryStore
    /// Each identity's share of the operations in progress (finding 8).
    private let identityOperations: IdentityOperationLimiter
    private let habilitations: HabilitationService
    private let forgotPassword: ForgotPassword
    private let policy: AccessPolicy
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (SocketAddress, Bool) -> Void
    /// Client connections open now.
    private let connectionCount = NIOLockedValueBox(0)
    /// The last connection number given (`OperationLog.connectionID`).
    private let lastConnectionID = NIOLockedValueBox<UInt64>(0)
    /// Connections accepted but not yet handed to a session.
    private let unclaimed = UnclaimedChannels()
    /// Every connection's paged search sequences (bounded per identity and in total).
    private let pagedSearches: PagedSearchBudget

    public init(
        configuration: ServerConfiguration, store: any DirectoryStore, habilitations: HabilitationService, policy: AccessPolicy? = nil,
        forgotPassword: ForgotPassword? = nil, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        onListening: @escaping @Sendable (_ address: SocketAddress, _ tls: Bool) -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        // Clients' operations run under the store's restricted identity where it has one.
        self.store = store.forClients()
        serviceStore = store
        self.habilitations = habilitations
        // Shared with the portal when it runs in the same process (one set of rate limits).
        self.forgotPassword = forgotPassword ?? ForgotPassword(habilitations: habilitations)
        identityOperations = IdentityOperationLimiter(limit: configuration.maximumOperationsPerIdentity)
        pagedSearches = PagedSearchBudget(
            total: configuration.maximumPagedSearches, perIdentity: configuration.maximumPagedSearchesPerIdentity)
        self.policy = policy ?? AccessPolicy(layout: DirectoryLayout(suffix: configuration.suffix))
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        // R10: the usage rules that clients show at login, written once.
        await UsageRules.ensure(in: store, layout: habilitations.layout, logger: logger)
        // Every attribute type a request names is resolved as slapd's own subschema spells it.
        let schema = try await AttributeTypeRegistry.load(from: store)
        // Failed binds cost the same whatever their reason (BindHandler).
        await BindDecoy.ensure(in: serviceStore, layout: habilitations.layout, logger: logger)
        let plain = try await listen(host: configuration.host, port: configuration.port, tls: false, schema: schema)
        var listeners = [plain]
        if let ldapsPort = configuration.ldapsPort, configuration.tlsContext != nil {
            listeners.append(try await listen(host: configuration.ldapsHost ?? configuration.host, port: ldapsPort, tls: true, schema: schema))
        }
        try await withThrowingDiscardingTaskGroup { group in
            for listener in listeners {
                group.addTask { try await self.accept(on: listener, schema: schema) }
            }
        }
        logger.info("stopped listening")
    }

    /// A connection's channel and what it was given when accepted.
    private typealias Accepted = (channel: NIOAsyncChannel<LDAPMessage, LDAPMessage>, setup: ConnectionSetup)

    private func listen(host: String, port: Int, tls: Bool, schema: AttributeTypeRegistry) async throws -> NIOAsyncChannel<Accepted, Never> {
        let maximumPDUSize = configuration.maximumPDUSize
        let sslContext = configuration.tlsContext
        let idleTimeout = configuration.idleTimeout
        let requestTimeout = configuration.requestTimeout
        let unclaimed = self.unclaimed
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let security = ConnectionSecurity(tls: tls)
                    let (raw, inline) = try ConnectionPipeline.configure(
                        channel.pipeline.syncOperations, ldaps: tls ? sslContext : nil, startTLS: sslContext, security: security,
                        maximumPDUSize: maximumPDUSize, requestTimeout: requestTimeout, idleTimeout: idleTimeout)
                    let asyncChannel = try NIOAsyncChannel<LDAPMessage, LDAPMessage>(wrappingChannelSynchronously: channel)
                    unclaimed.add(asyncChannel)
                    let setup = self.setUp(channel, security: security, raw: raw, inline: inline, schema: schema)
                    return (channel: asyncChannel, setup: setup) as Accepted
                }
            }
        if let address = channel.channel.localAddress {
            logger.info("listening", metadata: ["address": "\(address)", "tls": "\(tls)"])
            onListening(address, tls)
        }
        return channel
    }

    /// A new connection's share of the server, counted as it is accepted; an admitted one's fast
    /// path handler is started at once, as anonymous (on the connection's event loop).
    private func setUp(
        _ channel: any Channel, security: ConnectionSecurity, raw: ClientRawWriter, inline: InlineRequestHandler, schema: AttributeTypeRegistry
    ) -> ConnectionSetup {
        let admitted = connectionCount.withLockedValue { count -> Bool in
            guard count < configuration.maximumConnections else { return false }
            count += 1
            return true
        }
        let connectionID = lastConnectionID.withLockedValue { id -> UInt64 in
            id += 1
            return id
        }
        let clientAddress = channel.remoteAddress?.ipAddress ?? "unknown"
        let session = SessionState()
        let log = OperationLog(logger: logger, level: configuration.operationLogLevel, metrics: configuration.metrics, connectionID: connectionID)
        let canonicalizer = RequestCanonicalizer(schema: schema)
        var fastPath: ClientFastPath?
        if admitted, configuration.fastPath, let links = store.upstreamLinks() {
            // The links of the connection's own event loop: slapd's answers come back where the client's socket is.
            let clientFastPath = ClientFastPath(links: links.links(for: channel.eventLoop), writer: raw)
            fastPath = clientFastPath
            inline.start(
                InlineRequestHandler.Dependencies(
                    fastPath: clientFastPath, canonicalizer: canonicalizer, store: store, habilitations: habilitations, policy: policy,
                    configuration: configuration, identityOperations: identityOperations, session: session, security: security,
                    logger: logger, log: log),
                as: InlineRequestHandler.Identity(
                    identity: .anonymous, name: OperationLog.name(of: .anonymous), share: ClientSession.share(of: .anonymous, address: clientAddress),
                    rightsReadAgainAt: .now + .seconds(max(configuration.rightsRefreshSeconds, 0))),
                on: channel.eventLoop)
        }
        return ConnectionSetup(
            connectionID: connectionID, clientAddress: clientAddress, admitted: admitted, security: security, session: session, log: log,
            canonicalizer: canonicalizer, raw: raw, inline: inline, fastPath: fastPath)
    }

    /// Tells a connection over the limit why it is closed (RFC 4511 §4.4.1) and closes it.
    private static func refuse(_ channel: NIOAsyncChannel<LDAPMessage, LDAPMessage>, limit: Int) async {
        try? await channel.executeThenClose { _, outbound in
            try await outbound.write(LDAPMessage(
                messageID: 0,
                operation: .extendedResponse(.noticeOfDisconnection(.busy, "the server has \(limit) open connections, its maximum; try again later"))))
        }
    }

    private func accept(on listener: NIOAsyncChannel<Accepted, Never>, schema: AttributeTypeRegistry) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            // On graceful shutdown the listening socket is closed, which ends the
            // sequence after the connections already accepted: every accepted
            // channel is handed to a session (dropping one unconsumed is a NIO
            // precondition failure), and the sessions are then cancelled.
            try await withGracefulShutdownHandler {
                try await listener.executeThenClose { inbound in
                    try await acceptLoop(inbound, schema: schema, group: &group)
                }
            } onGracefulShutdown: {
                listener.channel.close(promise: nil)
            }
            // Not accepting any more: end the open sessions, and close the
            // connections accepted too late to be handed to one.
            group.cancelAll()
        }
        await unclaimed.closeAll()
    }

    private func acceptLoop(
        _ inbound: NIOAsyncChannelInboundStream<Accepted>, schema: AttributeTypeRegistry, group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async throws {
        for try await accepted in inbound {
            unclaimed.remove(accepted.channel)
            guard accepted.setup.admitted else {
                logger.warning("connection refused: too many open connections", metadata: ["limit": "\(configuration.maximumConnections)"])
                configuration.metrics?.connectionRefused()
                group.addTask { await Self.refuse(accepted.channel, limit: self.configuration.maximumConnections) }
                continue
            }
            configuration.metrics?.connectionOpened()
            group.addTask {
                defer {
                    self.connectionCount.withLockedValue { $0 -= 1 }
                    self.configuration.metrics?.connectionClosed()
                }
                let session = ClientSession(
                    channel: accepted.channel, connection: accepted.setup, forgotPassword: self.forgotPassword,
                    pagedSearchBudget: self.pagedSearches, store: self.store, identityOperations: self.identityOperations,
                    habilitations: self.habilitations, policy: self.policy, configuration: self.configuration, logger: self.logger)
                await session.run()
            }
        }
    }
}
