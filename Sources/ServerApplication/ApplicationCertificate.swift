/// Where the certificate for StartTLS (RFC 4511 §4.14), LDAPS (RFC 4513 §3.1.3) and the
/// portal's HTTPS comes from.
public enum ApplicationCertificate: Sendable {
    /// None: StartTLS and LDAPS are not offered (unless the server configuration has its own TLS context).
    case none
    /// PEM files given by the operator (`--tls-cert`, `--tls-key`).
    case files(certificate: String, key: String)
    /// With the embedded slapd, a self-signed certificate for `hostnames` kept in `<data-dir>/tls`
    /// (generated on first start); with another backend, none.
    case selfSignedInDataFolder(hostnames: [String])
}
