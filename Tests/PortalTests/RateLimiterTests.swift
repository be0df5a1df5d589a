@testable import Portal
import Testing

/// Login and recovery limits (issue #17, item 4).
@Suite struct RateLimiterTests {
    @Test func allowsThenRefusesWithinTheWindow() {
        let clock = SteppedPortalClock()
        let limiter = RateLimiter(.init(attempts: 3, windowSeconds: 60), clock: clock)
        #expect((0..<3).allSatisfy { _ in limiter.allow("203.0.113.7") })
        #expect(!limiter.allow("203.0.113.7"))
        #expect(limiter.allow("203.0.113.8"), "another key has its own allowance")
        clock.advance(seconds: 61)
        #expect(limiter.allow("203.0.113.7"), "the window slid")
    }

    @Test func refusedAttemptsDoNotExtendTheWindow() {
        let clock = SteppedPortalClock()
        let limiter = RateLimiter(.init(attempts: 1, windowSeconds: 60), clock: clock)
        #expect(limiter.allow("id"))
        clock.advance(seconds: 30)
        #expect(!limiter.allow("id"))
        clock.advance(seconds: 31)
        #expect(limiter.allow("id"))
    }
}
