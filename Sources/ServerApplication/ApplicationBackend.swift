public import DirectoryBackend

/// Where the application keeps the directory: OpenLDAP, reached through libldap
/// (docs/architecture.md). Started and stopped by the application, except an
/// `attached` one, which its caller owns.
public enum ApplicationBackend: Sendable {
    /// Annuaire's own slapd on a socket in `dataDirectory` (the default of `annuaire serve`),
    /// configured from Schema/ on first start, hashing passwords with `argon2`.
    case embedded(dataDirectory: DataDirectory, argon2: Argon2Parameters)
    /// An OpenLDAP run by someone else (`--backend`): its schema is checked at start. With
    /// `providers` (`--backend URI,URI…`), the providers of a replicated directory in failover
    /// order, watched for failback, and the reconciler runs under a lease (README, "Several machines").
    case external(BackendEndpoint, providers: BackendProviderList? = nil)
    /// A slapd and a store already running (the tests' `TestDirectory`): used as they are,
    /// neither primed nor stopped by the application.
    case attached(store: OpenLDAPStore, slapd: EmbeddedSlapd?)
}
