import Foundation
public import NIOSSL

/// How the portal runs (issue #17): where it listens, whether over HTTPS
/// (by default, with the LDAPS certificate; plain HTTP only on loopback),
/// the Annuaire server it is a client of, and its session and rate limits.
public struct PortalConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// HTTPS when set; nil is plain HTTP, refused off loopback.
    public var tls: TLSConfiguration?
    public var directory: DirectoryEndpoint
    public var sessions: SessionLimits
    /// Login attempts per client address, and per identifier.
    public var loginPerAddress = RateLimiter.Rule(attempts: 30, windowSeconds: 15 * 60)
    public var loginPerIdentifier = RateLimiter.Rule(attempts: 10, windowSeconds: 15 * 60)
    /// "Mot de passe oublié" requests per client address, and per identifier.
    public var recoveryPerAddress = RateLimiter.Rule(attempts: 10, windowSeconds: 3600)
    public var recoveryPerIdentifier = RateLimiter.Rule(attempts: 3, windowSeconds: 3600)
    /// Users shown per page (RFC 2696 page size).
    public var usersPageSize = 20
    /// Conventions shown per page of the operator's list (RFC 2696 page size).
    public var conventionsPageSize = 50
    /// How long a session reuses the list of its person's conventions before reading it again
    /// from the person's own entry (the person's own posted forms drop it at once). 0: read on
    /// every page. What the person may reach is still what the server resolved at its bind.
    public var conventionsKeptSeconds: Double = 10
    public var resources: PortalResources?

    public init(host: String, port: Int, tls: TLSConfiguration?, directory: DirectoryEndpoint, sessions: SessionLimits = SessionLimits()) {
        self.host = host
        self.port = port
        self.tls = tls
        self.directory = directory
        self.sessions = sessions
    }

    /// Loopback addresses, the only ones plain HTTP may listen on.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public struct PlainHTTPOffLoopback: Error, CustomStringConvertible {
        public let host: String
        public init(host: String) { self.host = host }
        public var description: String {
            "the portal serves plain HTTP only on a loopback address, not \(host): give it a certificate (HTTPS) or listen on 127.0.0.1"
        }
    }

    /// Refuses plain HTTP off loopback.
    public func validate() throws {
        if tls == nil && !Self.isLoopback(host) { throw PlainHTTPOffLoopback(host: host) }
    }

    /// The portal's address as people type it.
    public func baseURL(port actualPort: Int? = nil) -> String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(tls == nil ? "http" : "https")://\(shown):\(actualPort ?? port)"
    }
}
