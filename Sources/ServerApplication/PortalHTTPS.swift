public import DirectoryServer
public import NIOSSL
import Portal

/// The portal's TLS (issue #17): HTTPS with the server's certificate, TLS 1.2 at least, or
/// plain HTTP when asked for, on a loopback address only. Shared by `annuaire serve
/// --portal-listen` and `annuaire portal`.
public enum PortalHTTPS {
    /// The portal was asked to serve HTTPS without a certificate.
    public struct MissingCertificate: Error, CustomStringConvertible {
        public var description: String {
            "the portal serves HTTPS: give --tls-cert and --tls-key (or --portal-plain-http on a loopback address)"
        }
    }

    /// The server side TLS configuration for `certificate`, or nil for plain HTTP on a loopback `host`.
    public static func configuration(certificate: ServerCertificate?, host: String, plainHTTP: Bool) throws -> TLSConfiguration? {
        if plainHTTP {
            guard PortalConfiguration.isLoopback(host) else { throw PortalConfiguration.PlainHTTPOffLoopback(host: host) }
            return nil
        }
        guard let certificate else { throw MissingCertificate() }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificate.certificateChain.map { .certificate($0) }, privateKey: .privateKey(certificate.privateKey))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
