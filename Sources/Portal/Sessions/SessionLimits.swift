/// How long sessions last and how many there may be (issue #17, item 2:
/// 15 minutes idle, 8 hours in all, both configurable; a bounded number of
/// logged-in sessions, each holding one LDAP connection).
public struct SessionLimits: Sendable {
    public var idleSeconds: Double
    public var absoluteSeconds: Double
    /// Logged-in sessions at most (each holds an LDAP connection to the server).
    public var maximumPersonSessions: Int
    /// Sessions before login at most (a CSRF token each, no connection); the oldest go first.
    public var maximumAnonymousSessions: Int
    /// A logged-in session's connection unused this long gets a "Who am I?", so that the LDAP
    /// server (idle timeout 15 minutes by default) does not close it under a session still in use.
    public var keepAliveSeconds: Double = 5 * 60
    /// How long an expired session's id is remembered, so that its next request hears "session expired".
    public var tombstoneSeconds: Double = 30 * 60
    /// How often expired sessions are ended and idle connections kept alive.
    public var sweepSeconds: Double { min(30, keepAliveSeconds / 2) }

    public init(idleSeconds: Double = 15 * 60, absoluteSeconds: Double = 8 * 3600, maximumPersonSessions: Int = 1000, maximumAnonymousSessions: Int = 10_000) {
        self.idleSeconds = idleSeconds
        self.absoluteSeconds = absoluteSeconds
        self.maximumPersonSessions = maximumPersonSessions
        self.maximumAnonymousSessions = maximumAnonymousSessions
    }
}
