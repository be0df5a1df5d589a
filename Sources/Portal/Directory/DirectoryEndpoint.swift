public import LibLDAP

/// Where the portal reaches the Annuaire LDAP front-end (never slapd): its
/// URI, how the connection is protected, the CA that signed the server's
/// certificate, and the directory's suffix.
public struct DirectoryEndpoint: Sendable {
    public var uri: String
    public var tls: DirectoryClient.TLSMode
    public var caCertificateFile: String?
    public var suffix: String

    public init(uri: String, tls: DirectoryClient.TLSMode = .auto, caCertificateFile: String? = nil, suffix: String = "dc=annuaire,dc=local") {
        self.uri = uri
        self.tls = tls
        self.caCertificateFile = caCertificateFile
        self.suffix = suffix
    }

    public var people: String { "ou=people,\(suffix)" }
    public var operators: String { "ou=operators,\(suffix)" }
    public var partners: String { "ou=partners,\(suffix)" }
    public var services: String { "ou=services,\(suffix)" }
    public var usageRules: String { "cn=usage-rules,ou=policies,\(suffix)" }
    public var legalWarning: String { "cn=legal-warning,ou=policies,\(suffix)" }

    /// A new connection (StartTLS per `tls`), not bound.
    func connect() throws -> DirectoryClient {
        try DirectoryClient(uri: uri, tls: tls, caCertificateFile: caCertificateFile)
    }
}
