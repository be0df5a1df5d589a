/// Where the directory store is and how Annuaire authenticates to it: the
/// embedded slapd over `ldapi://` with SASL EXTERNAL (no password anywhere),
/// or an external OpenLDAP with a service account.
public struct BackendEndpoint: Sendable, CustomStringConvertible {
    public enum Credentials: Sendable {
        /// SASL EXTERNAL (RFC 4422 Appendix A) over ldapi: slapd maps the peer's uid/gid.
        case saslExternal
        /// A simple bind with a service account.
        case simple(dn: String, password: String)
        /// No bind: the pool used to check users' passwords.
        case anonymous
    }

    public var uri: String
    public var credentials: Credentials

    public init(uri: String, credentials: Credentials) {
        self.uri = uri
        self.credentials = credentials
    }

    /// The same endpoint without credentials.
    public var anonymous: BackendEndpoint { BackendEndpoint(uri: uri, credentials: .anonymous) }

    public var description: String {
        switch credentials {
        case .saslExternal: "\(uri) (SASL EXTERNAL)"
        case .simple(let dn, _): "\(uri) (as \(dn))"
        case .anonymous: "\(uri) (anonymous)"
        }
    }
}
