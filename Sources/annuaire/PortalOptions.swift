import AnnuaireCLI
import ArgumentParser
import DirectoryServer
import NIOSSL
import Portal
import ServerApplication

/// The portal's session options, shared by `serve` and `portal` (issue #17:
/// 15 minutes idle and 8 hours in all by default).
struct PortalSessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalIdleMinutes)))
    var portalIdleMinutes = 15

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalSessionHours)))
    var portalSessionHours = 8

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalMaxSessions)))
    var portalMaxSessions = 1000

    @Flag(help: ArgumentHelp(AnnuaireCLI.text(.helpPortalPlainHTTP)))
    var portalPlainHttp = false

    func validate() throws {
        guard portalIdleMinutes > 0, portalSessionHours > 0, portalMaxSessions > 0 else {
            throw ValidationError("--portal-idle-minutes, --portal-session-hours and --portal-max-sessions must be positive")
        }
    }

    var limits: SessionLimits {
        SessionLimits(idleSeconds: Double(portalIdleMinutes * 60), absoluteSeconds: Double(portalSessionHours * 3600),
                      maximumPersonSessions: portalMaxSessions)
    }

    /// HTTPS with `certificate` (TLS 1.2 at least), or nil for plain HTTP when asked for.
    func tls(_ certificate: ServerCertificate?, host: String) throws -> TLSConfiguration? {
        do {
            return try PortalHTTPS.configuration(certificate: certificate, host: host, plainHTTP: portalPlainHttp)
        } catch let missing as PortalHTTPS.MissingCertificate {
            throw ValidationError(missing.description)
        }
    }
}
