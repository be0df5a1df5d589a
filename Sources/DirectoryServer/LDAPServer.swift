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
/// `Service`: listens, decodes PDUs, answers searches, binds and unbinds on each
/// connection's event loop where it can (`InlineRequestHandler`), runs a
/// `ClientSession` for each connection that needs one (`SessionStarts`), and on
/// graceful shutdown stops accepting and sends each open connection a Notice of
/// Disconnection.
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
    /// Sessions started by connections that need one (`SessionStarts`).
    private let sessionStarts = SessionStarts()
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
        var listeners = [try await listen(host: configuration.host, port: configuration.port, tls: false, schema: schema)]
        if let ldapsPort = configuration.ldapsPort, configuration.tlsContext != nil {
            listeners.append(try await listen(host: configuration.ldapsHost ?? configuration.host, port: ldapsPort, tls: true, schema: schema))
        }
        let listening = listeners
        let stopListening = { @Sendable in
            for listener in listening { listener.close(promise: nil) }
            self.sessionStarts.stop()
        }
        await withDiscardingTaskGroup { group in
            // On graceful shutdown the listening sockets close and no session starts any more:
            // the open sessions are then cancelled (each sends its Notice of Disconnection).
            await withGracefulShutdownHandler {
                for await start in sessionStarts.stream {
                    group.addTask { await self.runSession(start) }
                }
            } onGracefulShutdown: {
                stopListening()
            }
            stopListening()
            group.cancelAll()
        }
        await sessionStarts.closeSessionless()
        logger.info("stopped listening")
    }

    private func runSession(_ start: SessionStarts.Start) async {
        let session = ClientSession(
            channel: start.channel, connection: start.setup, forgotPassword: forgotPassword,
            pagedSearchBudget: pagedSearches, store: store, identityOperations: identityOperations,
            habilitations: habilitations, policy: policy, configuration: configuration, logger: logger)
        await session.run()
    }

    /// Listens on one address; each connection is set up on its event loop as it is accepted
    /// (`setUp`), with no task of its own until it needs a session.
    private func listen(host: String, port: Int, tls: Bool, schema: AttributeTypeRegistry) async throws -> any Channel {
        let maximumPDUSize = configuration.maximumPDUSize
        let sslContext = configuration.tlsContext
        let idleTimeout = configuration.idleTimeout
        let requestTimeout = configuration.requestTimeout
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let security = ConnectionSecurity(tls: tls)
                    let (raw, inline) = try ConnectionPipeline.configure(
                        channel.pipeline.syncOperations, ldaps: tls ? sslContext : nil, startTLS: sslContext, security: security,
                        maximumPDUSize: maximumPDUSize, requestTimeout: requestTimeout, idleTimeout: idleTimeout)
                    let setup = self.setUp(channel, security: security, raw: raw, inline: inline, schema: schema)
                    if !setup.admitted {
                        try channel.pipeline.syncOperations.addHandler(ConnectionRefusal(limit: self.configuration.maximumConnections))
                    }
                }
            }
            .bind(host: host, port: port)
            .get()
        if let address = channel.localAddress {
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
        if !admitted {
            logger.warning("connection refused: too many open connections", metadata: ["limit": "\(configuration.maximumConnections)"])
            configuration.metrics?.connectionRefused()
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
        let setup = ConnectionSetup(
            connectionID: connectionID, clientAddress: clientAddress, admitted: admitted, security: security, session: session, log: log,
            canonicalizer: canonicalizer, raw: raw, inline: inline, fastPath: fastPath)
        guard admitted else { return setup }
        configuration.metrics?.connectionOpened()
        log.connection("opened", address: clientAddress)
        let sessionStarts = self.sessionStarts
        inline.startSession = { channel in sessionStarts.start(channel, setup: setup) }
        sessionStarts.accepted(channel)
        channel.closeFuture.whenComplete { _ in
            self.connectionCount.withLockedValue { $0 -= 1 }
            self.configuration.metrics?.connectionClosed()
            log.connection("closed", address: clientAddress)
        }
        return setup
    }
}
