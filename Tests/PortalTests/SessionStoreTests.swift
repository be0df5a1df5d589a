import Foundation
@testable import Portal
import Testing

/// Sessions (issue #17, item 2): 256-bit random ids, idle and absolute expiry, a new id at login
/// (no fixation), a bounded number of logged-in sessions.
@Suite struct SessionStoreTests {
    @Test func secretsAre256BitAndDistinct() {
        let secrets = (0..<1000).map { _ in SessionSecret.make() }
        #expect(Set(secrets).count == 1000)
        #expect(secrets.allSatisfy { SessionSecret.isWellFormed($0) })
        let decoded = Data(base64Encoded: secrets[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=")
        #expect(decoded?.count == 32)
        #expect(!SessionSecret.isWellFormed(secrets[0] + "x"))
        #expect(!SessionSecret.isWellFormed(String(secrets[0].dropLast()) + "!"))
    }

    @Test func constantTimeComparison() {
        let token = SessionSecret.make()
        #expect(SessionSecret.equal(token, token))
        #expect(!SessionSecret.equal(token, SessionSecret.make()))
        #expect(!SessionSecret.equal(token, String(token.dropLast())))
        #expect(!SessionSecret.equal(token, ""))
    }

    @Test func idleSessionExpires() {
        let clock = SteppedPortalClock()
        let store = SessionStore(limits: SessionLimits(idleSeconds: 900, absoluteSeconds: 8 * 3600), clock: clock)
        let session = store.createAnonymous(language: .french)
        clock.advance(seconds: 899)
        guard case .active = store.lookup(session.id) else { Issue.record("expired too early"); return }
        clock.advance(seconds: 899)  // each use restarts the idle period
        guard case .active = store.lookup(session.id) else { Issue.record("a used session expired"); return }
        clock.advance(seconds: 900)
        guard case .expired(let wasLoggedIn) = store.lookup(session.id) else { Issue.record("did not expire when idle"); return }
        #expect(!wasLoggedIn)
        guard case .unknown = store.lookup(session.id) else { Issue.record("an expired session came back"); return }
    }

    @Test func activeSessionEndsAtTheAbsoluteLimit() {
        let clock = SteppedPortalClock()
        let store = SessionStore(limits: SessionLimits(idleSeconds: 900, absoluteSeconds: 3600), clock: clock)
        let session = store.createAnonymous(language: .french)
        for _ in 0..<7 {
            clock.advance(seconds: 500)
            guard case .active = store.lookup(session.id) else { Issue.record("ended before the absolute limit"); return }
        }
        clock.advance(seconds: 500)  // 4000 s in all
        guard case .expired = store.lookup(session.id) else { Issue.record("outlived the absolute limit"); return }
    }

    @Test func sweepEndsExpiredSessions() {
        let clock = SteppedPortalClock()
        let store = SessionStore(limits: SessionLimits(idleSeconds: 60, absoluteSeconds: 3600), clock: clock)
        _ = store.createAnonymous(language: .french)
        let kept = store.createAnonymous(language: .english)
        clock.advance(seconds: 30)
        _ = store.lookup(kept.id)
        clock.advance(seconds: 40)
        #expect(store.sweep() == 1)
        #expect(store.count == 1)
    }

    @Test func anonymousSessionsAreBounded() {
        let store = SessionStore(limits: SessionLimits(maximumAnonymousSessions: 3))
        let sessions = (0..<5).map { _ in store.createAnonymous(language: .french) }
        #expect(store.count == 3)
        guard case .active = store.lookup(sessions[4].id) else { Issue.record("the newest session was dropped"); return }
    }

    /// The sweeper removes an expired session before its person's next click: that click still
    /// hears "your session expired" (once), not "you were never logged in".
    @Test func aSweptSessionStillReadsExpired() {
        let clock = SteppedPortalClock()
        var limits = SessionLimits(idleSeconds: 60, absoluteSeconds: 3600)
        limits.tombstoneSeconds = 600
        let store = SessionStore(limits: limits, clock: clock)
        let swept = store.createAnonymous(language: .french)
        let stale = store.createAnonymous(language: .french)
        clock.advance(seconds: 61)
        #expect(store.sweep() == 2)
        #expect(store.count == 0)
        guard case .expired(let wasLoggedIn) = store.lookup(swept.id) else { Issue.record("a swept session read as unknown"); return }
        #expect(!wasLoggedIn)
        guard case .unknown = store.lookup(swept.id) else { Issue.record("the tombstone is told once"); return }
        clock.advance(seconds: 600)
        guard case .unknown = store.lookup(stale.id) else { Issue.record("a tombstone outlived tombstoneSeconds"); return }
        guard case .unknown = store.lookup(SessionSecret.make()) else { Issue.record("an id never seen read as expired"); return }
    }
}
