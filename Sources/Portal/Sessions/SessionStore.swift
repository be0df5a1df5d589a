public import Messages
import Foundation
import NIOConcurrencyHelpers

/// The server-side session store (OWASP Session Management): sessions live
/// in memory only, end after `idleSeconds` without a request, after
/// `absoluteSeconds` in all, and at logout; a login always makes a new
/// session id (no fixation) and closes the session it replaces. Ending a
/// logged-in session closes its LDAP connection. An expired session leaves a
/// short-lived tombstone (its id and whether someone was logged in, nothing
/// else), so that a request arriving after the sweeper removed it is still
/// told "Votre session a expiré" rather than treated as never logged in.
public final class SessionStore: Sendable {
    /// What a cookie's session id leads to.
    public enum Lookup: Sendable {
        case active(PortalSession)
        /// It existed and ran out (idle or absolute); it is gone now.
        case expired(wasLoggedIn: Bool)
        case unknown
    }

    /// The store is full of logged-in sessions.
    public struct FullError: Error {}

    private let sessions = NIOLockedValueBox<[String: PortalSession]>([:])
    /// Ids of sessions that expired, kept `limits.tombstoneSeconds`: whether one was logged in, and when it expired.
    private let tombstones = NIOLockedValueBox<[String: (wasLoggedIn: Bool, at: Date)]>([:])
    public let limits: SessionLimits
    private let clock: any PortalClock

    public init(limits: SessionLimits, clock: any PortalClock = SystemPortalClock()) {
        self.limits = limits
        self.clock = clock
    }

    /// A new session before login.
    public func createAnonymous(language: Language) -> PortalSession {
        let now = clock.now
        let session = PortalSession(id: SessionSecret.make(), csrfToken: SessionSecret.make(), createdAt: now, language: language)
        sessions.withLockedValue { sessions in
            let anonymous = sessions.values.filter { $0.person == nil }
            if anonymous.count >= limits.maximumAnonymousSessions, let oldest = anonymous.min(by: { $0.lastSeenAt < $1.lastSeenAt }) {
                sessions[oldest.id] = nil
            }
            sessions[session.id] = session
        }
        return session
    }

    /// The session of `id`, its last use now; an expired one is removed (and its connection closed).
    public func lookup(_ id: String) -> Lookup {
        let now = clock.now
        let (lookup, ended) = sessions.withLockedValue { sessions -> (Lookup, PortalSession?) in
            guard var session = sessions[id] else { return (tombstone(id, at: now), nil) }
            if isExpired(session, at: now) {
                sessions[id] = nil
                return (.expired(wasLoggedIn: session.person != nil), session)
            }
            session.lastSeenAt = now
            sessions[id] = session
            return (.active(session), nil)
        }
        ended?.person?.connection.closeInBackground()
        return lookup
    }

    /// Saves changes made to a session that is still in the store (a session ended meanwhile stays ended).
    public func update(_ session: PortalSession) {
        sessions.withLockedValue { sessions in
            guard sessions[session.id] != nil else { return }
            sessions[session.id] = session
        }
    }

    /// An expired session's tombstone, told once: `.expired` while it is fresh, `.unknown` otherwise.
    private func tombstone(_ id: String, at now: Date) -> Lookup {
        guard let stone = tombstones.withLockedValue({ $0.removeValue(forKey: id) }),
              now.timeIntervalSince(stone.at) < limits.tombstoneSeconds else { return .unknown }
        return .expired(wasLoggedIn: stone.wasLoggedIn)
    }

    /// Records the ids of expired sessions, dropping stale tombstones and, past the bound, the oldest.
    private func bury(_ ended: [PortalSession], at now: Date) {
        guard !ended.isEmpty else { return }
        let limit = limits.maximumPersonSessions + limits.maximumAnonymousSessions
        tombstones.withLockedValue { stones in
            stones = stones.filter { now.timeIntervalSince($0.value.at) < limits.tombstoneSeconds }
            for session in ended { stones[session.id] = (session.person != nil, now) }
            if stones.count > limit {
                for (id, _) in stones.sorted(by: { $0.value.at < $1.value.at }).prefix(stones.count - limit) { stones[id] = nil }
            }
        }
    }

    /// After a successful bind: a new session (new id, new CSRF token) for the person, replacing `previous`.
    public func login(replacing previous: String?, person: PersonSession, language: Language) throws -> PortalSession {
        let now = clock.now
        let session = PortalSession(id: SessionSecret.make(), csrfToken: SessionSecret.make(), createdAt: now, language: language)
        var logged = session
        logged.person = person
        let replaced = try sessions.withLockedValue { sessions -> PortalSession? in
            let replaced = previous.flatMap { sessions.removeValue(forKey: $0) }
            if sessions.values.filter({ $0.person != nil }).count >= limits.maximumPersonSessions {
                throw FullError()
            }
            sessions[logged.id] = logged
            return replaced
        }
        replaced?.person?.connection.closeInBackground()
        return logged
    }

    /// Logout: the session and its connection end.
    public func end(_ id: String) {
        let ended = sessions.withLockedValue { $0.removeValue(forKey: id) }
        ended?.person?.connection.closeInBackground()
    }

    /// At shutdown: every session ends and its connection closes.
    public func endAll() {
        let ended = sessions.withLockedValue { sessions -> [PortalSession] in
            defer { sessions.removeAll() }
            return Array(sessions.values)
        }
        for session in ended { session.person?.connection.close() }
    }

    /// Removes every expired session (the sweeper calls this); returns how many ended.
    @discardableResult
    public func sweep() -> Int {
        let now = clock.now
        let ended = sessions.withLockedValue { sessions -> [PortalSession] in
            let expired = sessions.values.filter { isExpired($0, at: now) }
            for session in expired { sessions[session.id] = nil }
            return expired
        }
        bury(ended, at: now)
        for session in ended { session.person?.connection.closeInBackground() }
        return ended.count
    }

    /// The connections of the logged-in sessions.
    public var personConnections: [PersonConnection] {
        sessions.withLockedValue { $0.values.compactMap { $0.person?.connection } }
    }

    /// Logged-in sessions now.
    public var personSessionCount: Int { sessions.withLockedValue { $0.values.filter { $0.person != nil }.count } }

    /// Every session now.
    public var count: Int { sessions.withLockedValue { $0.count } }

    private func isExpired(_ session: PortalSession, at now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeenAt) >= limits.idleSeconds
            || now.timeIntervalSince(session.createdAt) >= limits.absoluteSeconds
    }
}
