/// The front-end's settings and limits (RFC 4511 §4.5.1.4–5 for search
/// limits), each with a safe default.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The naming context served (the embedded slapd's suffix).
    public var suffix: String
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

    public init(
        host: String = "127.0.0.1", port: Int = 3389, suffix: String,
        maximumPDUSize: Int = 4 * 1024 * 1024, maximumFilterDepth: Int = 32,
        maximumOutstandingOperations: Int = 256, searchSizeLimit: Int = 1000, searchTimeLimit: Int = 60,
        vendorVersion: String = AnnuaireVersion.current
    ) {
        self.host = host
        self.port = port
        self.suffix = suffix
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
    public static let current = "0.1.0"
}
