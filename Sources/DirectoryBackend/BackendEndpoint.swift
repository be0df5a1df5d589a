/// Where the directory store is and how Annuaire authenticates to it: the
/// embedded slapd over `ldapi://` with SASL EXTERNAL (no password anywhere),
/// or an external OpenLDAP with a service account.
public struct BackendEndpoint: Sendable, CustomStringConvertible {
    public enum Credentials: Sendable {
        /// SASL EXTERNAL (RFC 4422 Appendix A) over ldapi: slapd maps the peer's uid/gid.
        case saslExternal
        /// SASL EXTERNAL asserting an authorization identity (slapd lets its rootdn assert any DN of its database).
        case saslExternalAs(String)
        /// A simple bind with a service account.
        case simple(dn: String, password: String)
        /// No bind: the pool used to check users' passwords.
        case anonymous
    }

    public var uri: String
    public var credentials: Credentials
    /// The identity slapd gives the handles that carry out clients' operations (a SASL
    /// authorization identity, RFC 4422 §3.4.1, asserted over the same EXTERNAL bind): slapd's
    /// access control denies it the password attributes, `cn=config` and all outside the
    /// suffix, so a fault in Annuaire's own policy cannot reach them. nil: clients' operations
    /// run with the service identity (an external backend that grants no such identity).
    public var clientAuthorizationDN: String?
    /// With several providers: the list new connections try now (`ProviderSelection`).
    public var selection: ProviderSelection?

    public init(uri: String, credentials: Credentials, clientAuthorizationDN: String? = nil, selection: ProviderSelection? = nil) {
        self.uri = uri
        self.credentials = credentials
        self.clientAuthorizationDN = clientAuthorizationDN
        self.selection = selection
    }

    /// The URI (or space-separated list) a new connection is opened on.
    public var connectURI: String { selection?.uri ?? uri }

    /// The same endpoint without credentials.
    public var anonymous: BackendEndpoint { BackendEndpoint(uri: uri, credentials: .anonymous, selection: selection) }

    /// The endpoint of the handles that act for clients: the same bind, asserting `clientAuthorizationDN`.
    public var forClients: BackendEndpoint {
        guard let dn = clientAuthorizationDN, case .saslExternal = credentials else { return self }
        return BackendEndpoint(uri: uri, credentials: .saslExternalAs(dn), clientAuthorizationDN: dn, selection: selection)
    }

    public var description: String {
        switch credentials {
        case .saslExternal: "\(uri) (SASL EXTERNAL)"
        case .saslExternalAs(let dn): "\(uri) (SASL EXTERNAL as \(dn))"
        case .simple(let dn, _): "\(uri) (as \(dn))"
        case .anonymous: "\(uri) (anonymous)"
        }
    }
}
