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
        discussion: AnnuaireCLI.text(.discussionServe)
    ) }

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeConfig)))
    var config: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeListen)))
    var listen = ListenAddress(argument: "127.0.0.1:3389")!

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeDataDir)))
    var dataDir = "./annuaire-data"

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeSuffix)))
    var suffix = DirectoryLayout.defaultSuffix

    @Flag(help: ArgumentHelp(AnnuaireCLI.text(.helpServeDemo)))
    var demo = false

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeBackend)))
    var backend: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeBackendBindDN)))
    var backendBindDN: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeBackendPasswordFile)))
    var backendPasswordFile: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeBackendClientIdentity)))
    var backendClientIdentity: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeMaxPDUSize)))
    var maxPduSize = 4 * 1024 * 1024

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeSizeLimit)))
    var sizeLimit = 1000

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeTimeLimit)))
    var timeLimit = 60

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeLDAPS)))
    var ldaps = "127.0.0.1:6636"

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeTLSCert)))
    var tlsCert: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServerTLSKey)))
    var tlsKey: String?

    @Flag(help: ArgumentHelp(AnnuaireCLI.text(.helpServeRequireTLS)))
    var requireTls = false

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeIdleTimeout)))
    var idleTimeout = 900

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeRequestTimeout)))
    var requestTimeout = 60

    @Option(help: ArgumentHelp(
        AnnuaireCLI.text(.helpServeMaxConnections),
        discussion: AnnuaireCLI.text(.discussionServeMaxConnections)))
    var maxConnections = 4096

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeMaxPagedSearchesPerIdentity)))
    var maxPagedSearchesPerIdentity = 16

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeMaxQueuedWritesPerIdentity)))
    var maxQueuedWritesPerIdentity = 8

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeMaxOperationsPerIdentity)))
    var maxOperationsPerIdentity = 16

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(AnnuaireCLI.text(.helpServeFastPath)))
    var fastPath = true

    @Option(help: ArgumentHelp(
        AnnuaireCLI.text(.helpServeArgon2),
        discussion: AnnuaireCLI.text(.discussionServeArgon2),
        valueName: "m=KiB,t=N,p=N"))
    var argon2 = Argon2Parameters.default.description

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeMaildir)))
    var maildir: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeSMTPURL)))
    var smtpUrl: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeSMTPUser)))
    var smtpUser: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeSMTPPasswordFile)))
    var smtpPasswordFile: String?

    @Flag(help: ArgumentHelp(AnnuaireCLI.text(.helpServeSMTPRequireTLS)))
    var smtpRequireTls = false

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeSMTPCAFile)))
    var smtpCaFile: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeMailFrom)))
    var mailFrom = "Annuaire <no-reply@annuaire.invalid>"

    @Option(help: ArgumentHelp(
        AnnuaireCLI.text(.helpServeMailTemplates),
        discussion: AnnuaireCLI.text(.discussionServeMailTemplates),
        valueName: "dir"))
    var mailTemplates: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeTemporaryPasswordHours)))
    var temporaryPasswordHours = 24

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServePortalURL)))
    var portalUrl: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeRecoveryLinkHours)))
    var recoveryLinkHours = 2.0

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeReconcileInterval)))
    var reconcileInterval = 60

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServerLogLevel)))
    var logLevel = "info"

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeLogFormat)))
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeOperationLogLevel)))
    var operationLogLevel = "info"

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServeMetricsListen)))
    var metricsListen: ListenAddress?

    // Portal (issue #17).
    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServePortalListen)))
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
        try await application.run()
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
