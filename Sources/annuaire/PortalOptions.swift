import ArgumentParser
import DirectoryServer
import NIOSSL
import Portal
import ServerApplication

/// The portal's session options, shared by `serve` and `portal` (issue #17:
/// 15 minutes idle and 8 hours in all by default).
struct PortalSessionOptions: ParsableArguments {
    @Option(help: "Minutes without a request after which a portal session ends.")
    var portalIdleMinutes = 15

    @Option(help: "Hours after which a portal session ends, however active.")
    var portalSessionHours = 8

    @Option(help: "Logged-in portal sessions at most (each holds one LDAP connection).")
    var portalMaxSessions = 1000

    @Flag(help: "Serve the portal over plain HTTP (only on a loopback address) instead of HTTPS.")
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
