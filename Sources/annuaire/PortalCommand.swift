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
        discussion: """
            The portal is an LDAP client of the server: every page reads and writes as the person logged in. \
            It serves HTTPS with --tls-cert/--tls-key; plain HTTP only on a loopback address (--portal-plain-http).

            Example: annuaire portal --ldap-uri ldaps://annuaire.example:6636 --ca-file ca.pem \\
                       --listen 0.0.0.0:8443 --tls-cert portal.crt --tls-key portal.key
            """
    ) }

    @Option(help: "The Annuaire server's URI (ldap:// with StartTLS when offered, or ldaps://).")
    var ldapUri: String

    @Option(help: "PEM CA certificate that signed the LDAP server's certificate.")
    var caFile: String?

    @Option(help: "StartTLS towards the LDAP server: auto, required, off.")
    var ldapTls = "auto"

    @Option(help: "The directory's suffix.")
    var suffix = "dc=annuaire,dc=local"

    @Option(help: "Address and port the portal listens on.")
    var listen = ListenAddress(argument: "127.0.0.1:8443")!

    @Option(help: "PEM certificate chain of the portal's HTTPS.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
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
