public import NIOCore

/// A listener of the application that is up, with the address it got (port 0 asks for any).
public enum ApplicationListener: Sendable {
    /// LDAP (RFC 4511), StartTLS offered when there is a certificate.
    case ldap(SocketAddress)
    /// LDAPS: TLS from the first byte (RFC 4513 §3.1.3).
    case ldaps(SocketAddress)
    /// The Prometheus metrics and health endpoint (`/metrics`, `/healthz`, `/readyz`).
    case metrics(SocketAddress)
    /// The partner portal, at this base URL.
    case portal(String)
}
