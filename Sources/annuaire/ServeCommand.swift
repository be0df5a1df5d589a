import AnnuaireCLI
import ArgumentParser
import DirectoryBackend
import DirectoryServer
import Foundation
import Habilitations
import Logging
import NIOCore
import NIOPosix
import ServerApplication
import ServerOperations

/// `annuaire serve`: the LDAP server, on its own embedded slapd (default) or
/// on an external OpenLDAP (`--backend`).
struct ServeCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "serve",
        abstract: AnnuaireCLI.abstract(of: .serve),
        discussion: """
            With no --backend, Annuaire runs its own slapd on a socket inside --data-dir, \
            configured on first start from Schema/. --demo loads the tutorial's example \
            directory into an empty data folder. Every option can also be set in the \
            configuration file (key = value, the option's name without dashes) or in the \
            environment (ANNUAIRE_ and the name in capitals, - as _); the command line wins \
            over the environment, which wins over the file.
            """
    ) }

    @Option(help: "Configuration file of key = value lines (an installed Annuaire reads /etc/annuaire/annuaire.conf by default).")
    var config: String?

    @Option(help: "Address and port to listen on.")
    var listen = ListenAddress(argument: "127.0.0.1:3389")!

    @Option(help: "Folder of the embedded slapd's configuration and data.")
    var dataDir = "./annuaire-data"

    @Option(help: "The directory's suffix (naming context), a dc=… DN.")
    var suffix = DirectoryLayout.defaultSuffix

    @Flag(help: "Load the demo directory (Fixtures/demo.ldif) into an empty data folder.")
    var demo = false

    @Option(help: "URL of an external OpenLDAP (ldap://, ldaps://, ldapi://) instead of the embedded slapd; several providers of a replicated directory as URI,URI,… in failover order (README, \"Several machines\").")
    var backend: String?

    @Option(help: "DN Annuaire binds as on the external backend (default: SASL EXTERNAL over ldapi).")
    var backendBindDN: String?

    @Option(help: "File holding the password of --backend-bind-dn (or set ANNUAIRE_BACKEND_PASSWORD).")
    var backendPasswordFile: String?

    @Option(help: "DN clients' operations run as on the external backend, asserted over the SASL EXTERNAL bind (its access control must deny that DN the password attributes and cn=config; see SECURITY.md). Default: none, clients' operations run as Annuaire's own identity.")
    var backendClientIdentity: String?

    @Option(help: "Largest request PDU accepted, in bytes.")
    var maxPduSize = 4 * 1024 * 1024

    @Option(help: "Most entries a search returns (0: no limit).")
    var sizeLimit = 1000

    @Option(help: "Most seconds a search runs (0: no limit).")
    var timeLimit = 60

    @Option(help: "Address and port of the LDAPS listener (TLS from the first byte); 'none' to disable.")
    var ldaps = "127.0.0.1:6636"

    @Option(help: "PEM certificate chain for StartTLS and LDAPS (default: a self-signed one generated in <data-dir>/tls).")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Flag(help: "Refuse simple binds outside TLS with confidentialityRequired (13).")
    var requireTls = false

    @Option(help: "Seconds of silence after which a client connection is closed (0: never).")
    var idleTimeout = 900

    @Option(help: "Seconds a request may take to arrive whole after its first byte; a slower client is disconnected (0: no bound).")
    var requestTimeout = 60

    @Option(help: ArgumentHelp(
        "Open client connections at most.",
        discussion: "Lowered, with a warning, to what the process's file descriptor limit (ulimit -n, raised to its hard limit at start) leaves after 256 reserved descriptors and the paged search sequences' share."))
    var maxConnections = 4096

    @Option(help: "Paged search sequences one identity keeps open at once, over all its connections (the least recently used ends beyond).")
    var maxPagedSearchesPerIdentity = 16

    @Option(help: "Rule-checked writes of one identity that may wait for the write gate at once; one more is answered busy (51).")
    var maxQueuedWritesPerIdentity = 8

    @Option(help: "Operations one bound identity (or one unbound client address) may have in progress over all its connections; beyond, its connections are not read until one ends.")
    var maxOperationsPerIdentity = 16

    @Flag(inversion: .prefixedNo, help: "On by default: searches (not paged) and simple binds go to slapd on links driven by each event loop, slapd's answers forwarded as it encoded them (Benchmarks/README.md gives the measured gains); --no-fast-path sends them through the libldap handle pools instead.")
    var fastPath = true

    @Option(help: ArgumentHelp(
        "Cost of the argon2 password hashes the embedded slapd makes: memory in KiB, iterations, lanes.",
        discussion: "The default m=19456,t=2,p=1 is OWASP's baseline; slapd's own default m=4096,t=3,p=1 is about 3.6 times cheaper per bind. Stored hashes keep the parameters they were made with.",
        valueName: "m=KiB,t=N,p=N"))
    var argon2 = Argon2Parameters.default.description

    @Option(help: "Maildir where mails to people are delivered (default: <data-dir>/mail).")
    var maildir: String?

    @Option(help: "SMTP submission URL (smtp://host:587 with STARTTLS, smtps://host:465) instead of the Maildir.")
    var smtpUrl: String?

    @Option(help: "SMTP user name (AUTH).")
    var smtpUser: String?

    @Option(help: "File holding the SMTP password (or set ANNUAIRE_SMTP_PASSWORD).")
    var smtpPasswordFile: String?

    @Flag(help: "Refuse to send mail unless the SMTP server offers STARTTLS.")
    var smtpRequireTls = false

    @Option(help: "PEM CA bundle to verify the SMTP server with.")
    var smtpCaFile: String?

    @Option(help: "Sender of the mails to people.")
    var mailFrom = "Annuaire <no-reply@annuaire.invalid>"

    @Option(help: ArgumentHelp(
        "Folder of mail texts replacing the French defaults.",
        discussion: "identifier.subject, identifier.txt, temporary-password.subject, temporary-password.txt, recovery-link.subject, recovery-link.txt (UTF-8; a missing file keeps the default). Placeholders: {givenName} {sn} {identifier}, {password} (required) {hours} in the temporary password mail, {link} {code} (one required) {hours} in the recovery link mail.",
        valueName: "dir"))
    var mailTemplates: String?

    @Option(help: "Hours a temporary password stays good (R6).")
    var temporaryPasswordHours = 24

    @Option(help: "Base URL of the self-service portal; a forgot-password mail links to <portal-url>/mot-de-passe/nouveau#<token> (R6). Default: the --portal-listen address over HTTPS, else https://localhost:8443.")
    var portalUrl: String?

    @Option(help: "Hours a password recovery link stays good (R6).")
    var recoveryLinkHours = 2.0

    @Option(help: "Seconds between two runs of the reconciler (memberships and accounts that open or close with time).")
    var reconcileInterval = 60

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Log lines as text (for a terminal) or json (one JSON object per line, for journald and log collectors).")
    var logFormat: LogFormat = .text

    @Option(help: "Level of the one line logged per operation (connection, operation, bound identity, result code; never a password).")
    var operationLogLevel = "info"

    @Option(help: "Serve Prometheus metrics on http://HOST:PORT/metrics (off by default; keep it on loopback, e.g. 127.0.0.1:9389).")
    var metricsListen: ListenAddress?

    // Portal (issue #17).
    @Option(help: "Serve the partner web portal (Mon Compte Partenaire) on HOST:PORT, HTTPS with the LDAPS certificate (off by default).")
    var portalListen: ListenAddress?

    @OptionGroup var portalSessions: PortalSessionOptions

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard Logger.Level(rawValue: operationLogLevel) != nil else {
            throw ValidationError("--operation-log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if backendClientIdentity != nil && (backend == nil || backendBindDN != nil) {
            throw ValidationError("--backend-client-identity needs --backend with SASL EXTERNAL (no --backend-bind-dn): the identity is asserted over that bind")
        }
        if let backend {
            do {
                _ = try BackendProviderList(parsing: backend)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if backendBindDN != nil && backend == nil {
            throw ValidationError("--backend-bind-dn needs --backend")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if ldaps != "none" && ListenAddress(argument: ldaps) == nil {
            throw ValidationError("--ldaps must be HOST:PORT or none")
        }
        if let portalUrl, !(portalUrl.hasPrefix("https://") || portalUrl.hasPrefix("http://")) || portalUrl.contains("#") {
            throw ValidationError("--portal-url must be an http:// or https:// URL without a fragment, e.g. https://portail.example.fr")
        }
        guard recoveryLinkHours > 0, recoveryLinkHours <= 72 else {
            throw ValidationError("--recovery-link-hours must be more than 0 and at most 72")
        }
        guard maxQueuedWritesPerIdentity >= 1, maxPagedSearchesPerIdentity >= 1, maxOperationsPerIdentity >= 1 else {
            throw ValidationError("--max-queued-writes-per-identity, --max-paged-searches-per-identity and --max-operations-per-identity must be at least 1")
        }
        if demo && backend != nil {
            throw ValidationError("--demo loads into the embedded slapd's empty data folder; it cannot be used with --backend")
        }
    }

    func run() async throws {
        // Tasks run on NIO's event loops, where the connections' I/O happens:
        // no thread switch between a request's bytes and its handler.
        // Measured (Benchmarks/README.md): 5.5 → 4.2 context switches per uid search.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        switch logFormat {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let logger = Logger(label: "annuaire")
        let application = try await AnnuaireApplication.build(try settings(), logger: logger)
        await application.run()
    }

    /// The application's settings from the options.
    func settings() throws -> ApplicationSettings {
        let store: ApplicationBackend
        if let backend {
            let providers = try BackendProviderList(parsing: backend)
            store = .external(
                BackendEndpoint(
                    uri: providers.libldapURI, credentials: try backendCredentials(), clientAuthorizationDN: backendClientIdentity,
                    selection: providers.isReplicated ? ProviderSelection(providers.libldapURI) : nil),
                providers: providers)
        } else {
            store = .embedded(dataDirectory: DataDirectory(path: dataDir), argon2: try Argon2Parameters(parsing: argon2))
        }
        var server = ServerConfiguration(
            host: listen.host, port: listen.port, suffix: suffix, maximumPDUSize: maxPduSize,
            searchSizeLimit: sizeLimit, searchTimeLimit: timeLimit, requireTLS: requireTls,
            idleTimeout: idleTimeout, maximumConnections: maxConnections
        )
        server.maximumPagedSearchesPerIdentity = maxPagedSearchesPerIdentity
        server.maximumOperationsPerIdentity = maxOperationsPerIdentity
        server.fastPath = fastPath
        server.requestTimeout = requestTimeout
        server.operationLogLevel = Logger.Level(rawValue: operationLogLevel) ?? .info
        var settings = ApplicationSettings(backend: store, server: server)
        let ldapsAddress = ListenAddress(argument: ldaps)
        if let tlsCert, let tlsKey {
            settings.certificate = .files(certificate: tlsCert, key: tlsKey)
        } else {
            settings.certificate = .selfSignedInDataFolder(hostnames: [listen.host] + (ldapsAddress.map { [$0.host] } ?? []))
        }
        settings.ldapsAddress = ldapsAddress
        settings.fitsDescriptorLimit = true
        settings.demo = demo
        settings.mailFolder = maildir.map { URL(fileURLWithPath: $0) }
        if let smtpUrl {
            var password = ProcessInfo.processInfo.environment["ANNUAIRE_SMTP_PASSWORD"]
            if let smtpPasswordFile {
                do {
                    password = try String(contentsOfFile: smtpPasswordFile, encoding: .utf8).trimmingCharacters(in: .newlines)
                } catch {
                    throw StartupFailure("cannot read the SMTP password file \(smtpPasswordFile): \(error)")
                }
            }
            settings.mailTransport = .smtp(.init(
                url: smtpUrl, from: mailFrom, username: smtpUser, password: password, requireTLS: smtpRequireTls, caFile: smtpCaFile))
        }
        settings.mailFrom = mailFrom
        settings.mailTemplatesFolder = mailTemplates.map { URL(fileURLWithPath: $0) }
        settings.passwordSettings.temporaryValidity = TimeInterval(temporaryPasswordHours * 3600)
        settings.passwordSettings.recoveryLinkValidity = recoveryLinkHours * 3600
        // The links in recovery mails lead to this process's portal unless another one is named.
        settings.passwordSettings.portalURL = portalUrl ?? portalListen.map { "https://\($0.urlAuthority)" } ?? "https://localhost:8443"
        settings.queuedWritesPerIdentity = maxQueuedWritesPerIdentity
        settings.reconcileInterval = .seconds(reconcileInterval)
        settings.metricsAddress = metricsListen
        settings.portal = portalListen.map {
            ApplicationPortal(address: $0, plainHTTP: portalSessions.portalPlainHttp, sessions: portalSessions.limits)
        }
        settings.stopsOnTerminationSignals = true
        let layout = DirectoryLayout(suffix: suffix)
        let isDemo = demo
        settings.onListening = { listener in
            switch listener {
            case .ldap(let address): Self.printWelcome(address: address, tls: false, layout: layout, demo: isDemo)
            case .ldaps(let address): Self.printWelcome(address: address, tls: true, layout: layout, demo: isDemo)
            case .portal(let url):
                FileHandle.standardOutput.write(Data("Portal Mon Compte Partenaire on \(url)/ (open it in a browser).\n".utf8))
            case .metrics: break
            }
        }
        return settings
    }

    private func backendCredentials() throws -> BackendEndpoint.Credentials {
        guard let dn = backendBindDN else { return .saslExternal }
        var password = ProcessInfo.processInfo.environment["ANNUAIRE_BACKEND_PASSWORD"]
        if let file = backendPasswordFile {
            password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
        }
        guard let password, !password.isEmpty else {
            throw ValidationError("--backend-bind-dn needs a password: --backend-password-file FILE or ANNUAIRE_BACKEND_PASSWORD")
        }
        return .simple(dn: dn, password: password)
    }

    private static func printWelcome(address: SocketAddress, tls: Bool, layout: DirectoryLayout, demo: Bool) {
        let host = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "127.0.0.1"
        if tls {
            FileHandle.standardOutput.write(Data("LDAPS on ldaps://\(host):\(address.port ?? 0)\n".utf8))
            return
        }
        let url = "ldap://\(host):\(address.port ?? 0)"
        var lines = ["Annuaire is listening on \(url) (suffix \(layout.suffix)). Stop it with Ctrl-C."]
        if demo {
            lines += [
                "Try it:",
                "  ldapsearch -x -H \(url) -b '' -s base '+'",
                "  ldapwhoami -x -H \(url) -D '\(layout.user("XXX0606XX06"))' -W",
                "  ldapsearch -x -H \(url) -D '\(layout.user(DemoDirectory.administratorIdentifier))' -W -b '\(layout.suffix)' '(sn=DUP*)' cn mail",
                "(-W asks for the password; the demo accounts' password is in README.md, \"Try it\".)",
            ]
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
