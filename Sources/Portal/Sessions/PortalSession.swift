public import Messages
public import Foundation

/// One browser's session on the portal (issue #17, item 2): a server-side
/// record keyed by a random 256-bit id that only the HttpOnly cookie carries.
/// Before login it holds the CSRF token of the login and recovery forms;
/// after login, the person's LDAP connection, bound as the person (R1–R11
/// and the R8 delegation are then decided by the server, as for any client).
/// A password is never stored here.
public struct PortalSession: Sendable {
    public let id: String
    /// The token every form of this session carries (synchronizer token pattern, OWASP CSRF).
    public let csrfToken: String
    public let createdAt: Date
    public var lastSeenAt: Date
    public var language: Language
    /// The person logged in, nil before login.
    public var person: PersonSession?
    /// A message shown once on the next page (after a redirect).
    public var notice: String?
    /// The users list being paged (RFC 2696: its cookie is valid on this session's connection only).
    public var userListing: PagedListing?
    /// The history being paged (R11), likewise.
    public var historyListing: PagedListing?
    /// The operator's list of every convention being paged, likewise.
    public var conventionListing: PagedListing?

    public init(id: String, csrfToken: String, createdAt: Date, language: Language) {
        self.id = id
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        lastSeenAt = createdAt
        self.language = language
    }
}

/// The logged-in side of a session: who the person is and its connection.
public struct PersonSession: Sendable {
    public let connection: PersonConnection
    public var profile: PersonProfile
    /// R6: the session was opened with a temporary password (the server said changeAfterReset);
    /// the person may only change it.
    public var mustChangePassword: Bool
}

/// One paged search in progress: the query it belongs to, the server's cookie and the page number.
public struct PagedListing: Sendable, Equatable {
    public var query: String
    public var cookie: [UInt8]
    public var page: Int
}
