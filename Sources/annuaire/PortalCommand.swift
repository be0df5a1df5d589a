import AnnuaireCLI
import ArgumentParser
import LibLDAP
import DirectoryServer
import Foundation
import Logging
import NIOCore
import NIOPosix
import Portal
import ServerApplication
import ServiceLifecycle

/// `annuaire portal`: the partner web portal alone (issue #17), on another
/// machine than the LDAP server if need be: an LDAP client of `--ldap-uri`,
/// bound as each person who logs in.
struct PortalCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "portal",
        abstract: AnnuaireCLI.abstract(of: .portal),
        discussion: AnnuaireCLI.text(.discussionPortal)
    ) }

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalLDAPURI)))
    var ldapUri: String

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalCAFile)))
    var caFile: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalLDAPTLS)))
    var ldapTls = "auto"

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalSuffix)))
    var suffix = "dc=annuaire,dc=local"

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalListen)))
    var listen = ListenAddress(argument: "127.0.0.1:8443")!

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalTLSCert)))
    var tlsCert: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServerTLSKey)))
    var tlsKey: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServerLogLevel)))
    var logLevel = "info"

    @OptionGroup var sessions: PortalSessionOptions

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        guard DirectoryClient.TLSMode(rawValue: ldapTls) != nil else { throw ValidationError("--ldap-tls must be auto, required or off") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "annuaire-portal")
        let certificate: ServerCertificate?
        do {
            certificate = try tlsCert.map { try ServerCertificate.load(certificatePath: $0, keyPath: tlsKey ?? "") }
        } catch {
            throw StartupFailure("the portal's certificate: \(error)")
        }
        let endpoint = DirectoryEndpoint(uri: ldapUri, tls: DirectoryClient.TLSMode(rawValue: ldapTls) ?? .auto, caCertificateFile: caFile, suffix: suffix)
        let configuration = PortalConfiguration(
            host: listen.host, port: listen.port, tls: try sessions.tls(certificate, host: listen.host), directory: endpoint, sessions: sessions.limits)
        let service: PortalService
        do {
            service = try await PortalService(configuration: configuration, logger: logger) { url in
                FileHandle.standardOutput.write(Data("Portail Mon Compte Partenaire : \(url)/ (LDAP : \(endpoint.uri)). Ctrl-C l'arrête.\n".utf8))
            }
        } catch {
            throw StartupFailure("the portal cannot start: \(error)")
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
