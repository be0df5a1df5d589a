public import DirectoryBackend
public import DirectoryServer
import Foundation
import Glibc
public import Habilitations
public import Logging
import Portal
import ServerOperations
import ServiceLifecycle

/// One Annuaire server, built in one place: the directory's backend (the
/// embedded slapd, an external OpenLDAP, or one a test attached), the store on
/// it, the habilitation rules (R1–R11, `HabilitationService`), the reconciler
/// (R5, R7: what only time changes), the mail outbox (R6), the LDAP listeners
/// (RFC 4511; StartTLS and LDAPS per RFC 4513), the metrics and health
/// endpoint, the partner portal and the service manager's notifications — run
/// in one service group and stopped in one order: the listeners and background
/// services, then the store's connections, then slapd, then the status file.
///
/// `annuaire serve` parses its options into `ApplicationSettings` and runs
/// this; the tests' server runs the same object with ports 0, a Maildir and a
/// manual clock.
///
/// ```swift
/// let application = try await AnnuaireApplication.build(settings, logger: logger)
/// try await application.run()  // until SIGTERM/SIGINT or `triggerShutdown()`
/// ```
public final class AnnuaireApplication: Sendable {
    /// The store the rules and the front-end use.
    public let store: OpenLDAPStore
    /// The embedded (or attached) slapd; nil on an external backend.
    public let slapd: EmbeddedSlapd?
    /// Where the directory's entries live (suffix, `ou=` branches).
    public let layout: DirectoryLayout
    /// The rules service every write goes through.
    public let habilitations: HabilitationService
    /// Password recovery (R6), whose background look-ups a test can wait for.
    public let forgotPassword: ForgotPassword
    /// The front-end's configuration as built (descriptor budget, TLS and metrics applied).
    public let serverConfiguration: ServerConfiguration
    /// Where mails to people go.
    public let mailTransport: any MailTransport
    /// The mails kept for a retry.
    public let mailOutbox: MailOutbox

    private let group: ServiceGroup
    private let operability: ServeOperability
    private let shutdown: ShutdownSequence
    private let logger: Logger

    private init(
        store: OpenLDAPStore, slapd: EmbeddedSlapd?, layout: DirectoryLayout, habilitations: HabilitationService,
        forgotPassword: ForgotPassword, serverConfiguration: ServerConfiguration, mailTransport: any MailTransport,
        mailOutbox: MailOutbox, group: ServiceGroup, operability: ServeOperability, shutdown: ShutdownSequence, logger: Logger
    ) {
        self.store = store
        self.slapd = slapd
        self.layout = layout
        self.habilitations = habilitations
        self.forgotPassword = forgotPassword
        self.serverConfiguration = serverConfiguration
        self.mailTransport = mailTransport
        self.mailOutbox = mailOutbox
        self.group = group
        self.operability = operability
        self.shutdown = shutdown
        self.logger = logger
    }

    /// Starts the backend and builds every service, listening on nothing yet. A failure
    /// stops what had started (store, slapd) and is thrown as a `StartupFailure` saying what to fix.
    public static func build(_ settings: ApplicationSettings, logger: Logger) async throws -> AnnuaireApplication {
        let shutdown = ShutdownSequence()
        do {
            return try await build(settings, logger: logger, shutdown: shutdown)
        } catch {
            await shutdown.run()
            throw error
        }
    }

    /// Runs the services until the LDAP listener ends (SIGTERM or SIGINT when
    /// `stopsOnTerminationSignals`, or `triggerShutdown()`), then stops the store and slapd.
    /// A service that failed (a listener that could not bind its address, the portal, the
    /// metrics endpoint) is thrown as `ServiceFailure` once everything has stopped, so that
    /// the process exits with a failure status a supervisor sees.
    public func run() async throws {
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            logger.error("server stopped", metadata: ["error": "\(error)"])
            failure = error
        }
        operability.stopping()
        await shutdown.run()
        operability.stopped()
        if let failure { throw ServiceFailure(failure) }
    }

    /// Starts the graceful shutdown `run()` completes.
    public func triggerShutdown() async {
        await group.triggerGracefulShutdown()
    }

    // MARK: - Building

    private static func build(_ settings: ApplicationSettings, logger: Logger, shutdown: ShutdownSequence) async throws -> AnnuaireApplication {
        // Raised before the embedded slapd starts, which inherits it.
        let descriptorLimit = settings.fitsDescriptorLimit ? DescriptorBudget.raisedProcessLimit() : nil
        let startedAt = Date()
        let suffix = settings.server.suffix
        let layout = DirectoryLayout(suffix: suffix)
        // Checked before anything starts: a wrong template folder is a configuration error.
        let templates: MailTemplates
        do {
            templates = try settings.mailTemplatesFolder.map { try MailTemplates.loading(folder: $0) } ?? MailTemplates()
        } catch {
            throw StartupFailure("\(error)")
        }

        let backend = try await startBackend(settings, suffix: suffix, logger: logger, shutdown: shutdown)
        let store = backend.store
        let slapd = backend.slapd
        try await prepareDirectory(settings, backend: backend, layout: layout, logger: logger)

        let (serverConfiguration, certificate) = try serverConfiguration(
            settings, slapd: slapd, descriptorLimit: descriptorLimit, logger: logger)
        let metrics = serverConfiguration.metrics

        let mailFolder =
            settings.mailFolder
            ?? slapd?.configuration.dataDirectory.root.appendingPathComponent("mail")
            ?? URL(fileURLWithPath: "./annuaire-mail")
        let mail: any MailTransport
        let outbox: MailOutbox
        do {
            switch settings.mailTransport {
            case .maildir: mail = try MaildirTransport(root: mailFolder, from: settings.mailFrom)
            case .smtp(let configuration): mail = SMTPTransport(configuration: configuration)
            case .custom(let transport): mail = transport
            }
            outbox = try MailOutbox(folder: ApplicationSettings.outboxFolder(ofMailFolder: mailFolder))
        } catch {
            throw StartupFailure("cannot use the mail folder \(mailFolder.path): \(error)")
        }

        let ldapsListens = serverConfiguration.tlsContext != nil && serverConfiguration.ldapsPort != nil
        let operability = ServeOperability(
            expectedListeners: 1 + (ldapsListens ? 1 : 0) + (settings.metricsAddress != nil ? 1 : 0), slapd: slapd,
            status: ServerStatus(
                pid: getpid(), version: AnnuaireVersion.current, startedAt: startedAt, suffix: suffix, mailOutbox: outbox.folder.path),
            logger: logger)
        let habilitations = HabilitationService(
            store: store, layout: layout, clock: settings.clock, mail: mail, outbox: outbox, passwordSettings: settings.passwordSettings,
            templates: templates, queuedWritesPerIdentity: settings.queuedWritesPerIdentity, logger: logger)
        metrics?.observeWriteConflicts { habilitations.writeConflictsRetried }
        let forgotPassword = ForgotPassword(habilitations: habilitations)
        let onListening = settings.onListening
        let server = LDAPServer(
            configuration: serverConfiguration, store: store, habilitations: habilitations, forgotPassword: forgotPassword, logger: logger
        ) { address, tls in
            onListening(tls ? .ldaps(address) : .ldap(address))
            operability.listening(ServeOperability.url(tls ? "ldaps" : "ldap", address))
        }
        // An external directory may have other front-ends and other providers: the reconciler runs
        // under a lease, and a failover or failback asks it for a whole derivation.
        let replicated = backend.providers.map {
            ReplicatedBackend(
                providers: $0, credentials: backend.credentials ?? .saslExternal, store: store, layout: layout,
                reconcileInterval: Int(settings.reconcileInterval.components.seconds), logger: logger)
        }
        if let replicated {
            shutdown.add { await replicated.lease.release() }
        }
        let reconciler = Reconciler(
            habilitations: habilitations, interval: settings.reconcileInterval, logger: logger, lease: replicated?.lease,
            fullPassRequest: replicated?.fullPass, onRun: { operability.reconciled($0) })
        let mailer = MailOutboxService(passwords: habilitations.passwords, interval: settings.mailDrainInterval, logger: logger)
        // The background services end with the group; only the LDAP listener's end ends it.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: reconciler, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore),
            .init(service: mailer, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore),
            .init(service: server, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        services += replicated?.services ?? []
        if let portal = settings.portal {
            do {
                services.append(
                    .init(
                        service: try await portalService(
                            portal, server: serverConfiguration, certificate: certificate, logger: logger, onListening: onListening)))
            } catch {
                throw StartupFailure("the portal cannot start: \(error)")
            }
        }
        if let metrics, let address = settings.metricsAddress {
            let endpoint = MetricsEndpoint(
                metrics: metrics, host: address.host, port: address.port, logger: logger, health: operability.health,
                onListening: { address in
                    onListening(.metrics(address))
                    operability.listening(ServeOperability.url("http", address) + "/metrics")
                })
            services.append(.init(service: endpoint, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: settings.stopsOnTerminationSignals ? [.sigterm, .sigint] : [],
                logger: logger
            ))
        return AnnuaireApplication(
            store: store, slapd: slapd, layout: layout, habilitations: habilitations, forgotPassword: forgotPassword,
            serverConfiguration: serverConfiguration, mailTransport: mail, mailOutbox: outbox, group: group, operability: operability,
            shutdown: shutdown, logger: logger)
    }

    /// The backend as started: its store, its slapd, the project's schema files when found.
    private struct StartedBackend {
        var store: OpenLDAPStore
        var slapd: EmbeddedSlapd?
        var resources: ProjectResources?
        /// Whether the application started it (and primes and loads it).
        var isOwned: Bool
        var isExternal: Bool
        /// The providers of a replicated external directory (`--backend URI,URI…`).
        var providers: BackendProviderList?
        var credentials: BackendEndpoint.Credentials?
    }

    private static func startBackend(
        _ settings: ApplicationSettings, suffix: String, logger: Logger, shutdown: ShutdownSequence
    ) async throws -> StartedBackend {
        let endpoint: BackendEndpoint
        let resources: ProjectResources?
        var slapd: EmbeddedSlapd?
        var replicatedProviders: BackendProviderList?
        switch settings.backend {
        case .attached(let store, let attached):
            return StartedBackend(store: store, slapd: attached, resources: nil, isOwned: false, isExternal: false, providers: nil, credentials: nil)
        case .external(let external, let providers):
            endpoint = external
            replicatedProviders = providers
            resources = try? ProjectResources.locate()
        case .embedded(let dataDirectory, let argon2):
            do {
                let located = try ProjectResources.locate()
                resources = located
                try DataFolderVersion.refuseDowngrade(of: dataDirectory.root, to: AnnuaireVersion.current)
                var configuration = EmbeddedSlapd.Configuration(dataDirectory: dataDirectory, suffix: suffix, resources: located)
                configuration.argon2 = argon2
                let embedded = try EmbeddedSlapd(configuration: configuration, logger: logger)
                try embedded.start()
                shutdown.add { embedded.stop() }
                slapd = embedded
                endpoint = embedded.endpoint
            } catch let error as EmbeddedSlapdError {
                throw StartupFailure("\(error.description)")
            } catch let error as BackupError {
                throw StartupFailure("\(error.description)")
            }
            try? DataFolderVersion.record(AnnuaireVersion.current, in: dataDirectory.root)
        }
        var storeConfiguration = OpenLDAPStore.Configuration(endpoint: endpoint)
        if let dataDirectory = slapd?.configuration.dataDirectory {
            storeConfiguration.storageDiagnosis = { dataDirectory.fileSystemProblem() }
        }
        let store = OpenLDAPStore(configuration: storeConfiguration)
        shutdown.add { await store.shutdown() }
        return StartedBackend(
            store: store, slapd: slapd, resources: resources, isOwned: true, isExternal: slapd == nil,
            providers: replicatedProviders, credentials: endpoint.credentials)
    }

    /// An external backend's schema is checked; a backend the application started has its
    /// attribute table primed and, with `demo`, the demo directory loaded into an empty one.
    private static func prepareDirectory(
        _ settings: ApplicationSettings, backend: StartedBackend, layout: DirectoryLayout, logger: Logger
    ) async throws {
        guard backend.isOwned, let resources = backend.resources else { return }
        let store = backend.store
        if backend.isExternal {
            let missing = (try? await BackendSchemaCheck.missingAttributeTypes(in: store, schema: resources.projectSchema)) ?? []
            if !missing.isEmpty {
                throw StartupFailure(
                    "the backend's schema lacks \(missing.joined(separator: ", ")): load this version's Schema/annuaire.ldif (and the nis and ppolicy schemas) into its cn=config, e.g. with ldapmodify -Y EXTERNAL -H ldapi:/// as its administrator, then start again"
                )
            }
        }
        // Before any transaction (the demo load's included): see AttributeTablePrimer.
        do {
            try await AttributeTablePrimer.prime(store, suffix: layout.suffix, schema: resources.projectSchema)
        } catch {
            logger.warning("could not register the attribute types in the backend before its first transaction", metadata: ["error": "\(error)"])
        }
        guard settings.demo else { return }
        do {
            if try await DemoDirectory.isLoaded(in: store, layout: layout) {
                logger.info("the demo directory is already loaded")
            } else if backend.slapd?.createdDataDirectory == false {
                logger.warning("the data folder already holds a directory; --demo loads only into an empty one")
            } else {
                let count = try await DemoDirectory.load(into: store, resources: resources, layout: layout)
                logger.info("loaded the demo directory", metadata: ["records": "\(count)"])
            }
        } catch {
            throw StartupFailure("could not load the demo directory: \(error)")
        }
    }

    /// The front-end's configuration: connections within the descriptor budget, metrics when
    /// served, StartTLS and LDAPS on the certificate. Returns the certificate for the portal.
    private static func serverConfiguration(
        _ settings: ApplicationSettings, slapd: EmbeddedSlapd?, descriptorLimit: Int?, logger: Logger
    ) throws -> (ServerConfiguration, ServerCertificate?) {
        var configuration = settings.server
        if let descriptorLimit {
            let requested = configuration.maximumConnections
            let descriptors = DescriptorBudget(descriptorLimit: descriptorLimit, requestedConnections: requested)
            if descriptors.maximumConnections < requested {
                logger.warning(
                    "--max-connections lowered to what the file descriptor limit allows; raise ulimit -n for more",
                    metadata: [
                        "requested": "\(requested)", "allowed": "\(descriptors.maximumConnections)",
                        "descriptorLimit": "\(descriptors.descriptorLimit)",
                    ])
            }
            configuration.maximumConnections = descriptors.maximumConnections
            configuration.maximumPagedSearches = descriptors.maximumPagedSearches
        }
        if configuration.metrics == nil, settings.metricsAddress != nil {
            configuration.metrics = ServerMetrics()
        }
        if let metrics = configuration.metrics, let slapd {
            metrics.observeBackend {
                let pid = slapd.pid
                return ServerMetrics.BackendStatus(up: pid.map { kill($0, 0) == 0 } ?? false, restarts: slapd.restartCount)
            }
        }
        let certificate: ServerCertificate?
        do {
            certificate = try serverCertificate(settings.certificate, slapd: slapd, logger: logger)
            if let certificate {
                configuration.tlsContext = try certificate.makeServerContext()
                if let address = settings.ldapsAddress {
                    configuration.ldapsHost = address.host
                    configuration.ldapsPort = address.port
                }
            }
        } catch {
            throw StartupFailure("TLS: \(error)")
        }
        if configuration.requireTLS && configuration.tlsContext == nil {
            throw StartupFailure("--require-tls needs a certificate: give --tls-cert and --tls-key")
        }
        return (configuration, certificate)
    }

    /// The given files, or on the embedded slapd a self-signed certificate kept in the data folder.
    private static func serverCertificate(_ source: ApplicationCertificate, slapd: EmbeddedSlapd?, logger: Logger) throws -> ServerCertificate? {
        switch source {
        case .none:
            return nil
        case .files(let certificate, let key):
            return try ServerCertificate.load(certificatePath: certificate, keyPath: key)
        case .selfSignedInDataFolder(let hostnames):
            guard let slapd else { return nil }
            let folder = slapd.configuration.dataDirectory.root.appendingPathComponent("tls")
            let (certificate, generated) = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: hostnames)
            logger.info(
                generated ? "generated a self-signed TLS certificate" : "using the TLS certificate in the data folder",
                metadata: ["path": "\(certificate.certificatePath)", "sha256": "\(certificate.sha256Fingerprint)"])
            return certificate
        }
    }

    /// The portal (issue #17): an LDAP client of this very server over loopback, bound as each
    /// person who logs in (StartTLS with the server's certificate when TLS is required).
    private static func portalService(
        _ portal: ApplicationPortal, server: ServerConfiguration, certificate: ServerCertificate?, logger: Logger,
        onListening: @escaping @Sendable (ApplicationListener) -> Void
    ) async throws -> PortalService {
        let ldapHost = ["0.0.0.0", "::", "*"].contains(server.host) ? "127.0.0.1" : server.host
        let endpoint = DirectoryEndpoint(
            uri: "ldap://\(ListenAddress(host: ldapHost, port: server.port).urlAuthority)", tls: server.requireTLS ? .required : .off,
            caCertificateFile: certificate?.certificatePath, suffix: server.suffix)
        let configuration = PortalConfiguration(
            host: portal.address.host, port: portal.address.port,
            tls: try PortalHTTPS.configuration(certificate: certificate, host: portal.address.host, plainHTTP: portal.plainHTTP),
            directory: endpoint, sessions: portal.sessions)
        return try await PortalService(configuration: configuration, logger: logger) { url in onListening(.portal(url)) }
    }
}
