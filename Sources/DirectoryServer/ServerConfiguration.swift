/// The front-end's settings and limits (RFC 4511 §4.5.1.4–5 for search
/// limits), each with a safe default.
public import Logging
public import NIOSSL
public import LDAPProtocol

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The naming context served (the embedded slapd's suffix).
    public var suffix: String { didSet { suffixName = try? DistinguishedName(suffix) } }
    /// `suffix` parsed once (nil if it is not a DN), for the per-request "is it served?" checks.
    public private(set) var suffixName: DistinguishedName?
    /// Largest PDU accepted from a client; a larger one ends the session.
    public var maximumPDUSize: Int
    /// Deepest and/or/not nesting accepted in a search filter.
    public var maximumFilterDepth: Int
    /// Requests one connection may have in progress; at the bound the session
    /// reads no further request until one ends (TCP back-pressure).
    public var maximumOutstandingOperations: Int
    /// Entries a search returns at most (the client's sizeLimit can only lower it); 0: no limit.
    public var searchSizeLimit: Int
    /// Seconds a search may run at most (the client's timeLimit can only lower it); 0: no limit.
    public var searchTimeLimit: Int
    /// Advertised in the root DSE.
    public var vendorVersion: String
    /// TLS for StartTLS (RFC 4511 §4.14) and LDAPS; nil: neither is offered.
    public var tlsContext: NIOSSLContext?
    /// Where LDAPS listens (TLS from the first byte), if anywhere.
    public var ldapsHost: String?
    public var ldapsPort: Int?
    /// Seconds without a byte in either direction after which a connection is closed; 0: never.
    public var idleTimeout: Int
    /// Open client connections at most; one more is told `busy` and closed.
    public var maximumConnections: Int
    /// Paged search sequences open at once in all connections (each holds a slapd connection): beyond,
    /// the one used least recently ends (`PagedSearchBudget`; `DescriptorBudget` derives it).
    public var maximumPagedSearches: Int = 1024
    /// Paged search sequences one identity holds open at once, in all its connections (4 per connection).
    public var maximumPagedSearchesPerIdentity: Int = 16
    /// Operations one bound identity (or one unbound client address) may have in progress over
    /// all its connections; beyond, its sessions read nothing more until one ends (finding 8).
    public var maximumOperationsPerIdentity: Int = 16
    /// Refuse simple binds outside TLS with `confidentialityRequired` (RFC 4513 §5.1.3 note, RFC 4511 §4.2.2).
    public var requireTLS: Bool
    /// Seconds a request may take to arrive whole after its first byte (a
    /// slow-drip client is cut off with a Notice of Disconnection); 0: no bound.
    public var requestTimeout: Int = 60
    /// Seconds a bound session keeps the rights it read (R8: conventions administered, groups
    /// managed, roles): past them, the next operation reads them again, so that a right given or
    /// taken away by someone else (the operator naming or removing an administrator, a closed
    /// membership) reaches the connections already open, not only the next bind.
    public var rightsRefreshSeconds: Int = 10
    /// The level of the one line logged per operation and per connection (`OperationLog`).
    public var operationLogLevel: Logger.Level = .info
    /// Where operations, connections and backend health are counted (`--metrics-listen`); nil: nowhere.
    public var metrics: ServerMetrics?
    /// Searches (not paged) and simple binds go to slapd on SwiftNIO upstream links of the client's
    /// event loop, answers forwarded as slapd encoded them (issue #18, the default); false: through
    /// the libldap pools (`annuaire serve --no-fast-path`).
    public var fastPath: Bool = true

    public init(
        host: String = "127.0.0.1", port: Int = 3389, suffix: String,
        maximumPDUSize: Int = 4 * 1024 * 1024, maximumFilterDepth: Int = 32,
        maximumOutstandingOperations: Int = 256, searchSizeLimit: Int = 1000, searchTimeLimit: Int = 60,
        vendorVersion: String = AnnuaireVersion.current,
        tlsContext: NIOSSLContext? = nil, ldapsHost: String? = nil, ldapsPort: Int? = nil, requireTLS: Bool = false,
        idleTimeout: Int = 900, maximumConnections: Int = 4096
    ) {
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.tlsContext = tlsContext
        self.ldapsHost = ldapsHost
        self.ldapsPort = ldapsPort
        self.requireTLS = requireTLS
        self.host = host
        self.port = port
        self.suffix = suffix
        self.suffixName = try? DistinguishedName(suffix)
        self.maximumPDUSize = maximumPDUSize
        self.maximumFilterDepth = maximumFilterDepth
        self.maximumOutstandingOperations = maximumOutstandingOperations
        self.searchSizeLimit = searchSizeLimit
        self.searchTimeLimit = searchTimeLimit
        self.vendorVersion = vendorVersion
    }
}

/// The version Annuaire reports (root DSE `vendorVersion`, `annuaire --version`).
public enum AnnuaireVersion {
    public static let current = "0.2.0"
}
