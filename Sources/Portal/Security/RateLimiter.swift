import Foundation
import NIOConcurrencyHelpers

/// Attempts allowed per key in a sliding window (issue #17, item 4: login
/// and recovery limited per client address and per identifier, so that
/// neither one address nor one identifier can be guessed at). The same
/// answer is given whether or not an identifier exists.
public final class RateLimiter: Sendable {
    public struct Rule: Sendable {
        public var attempts: Int
        public var windowSeconds: Double
        public init(attempts: Int, windowSeconds: Double) {
            self.attempts = attempts
            self.windowSeconds = windowSeconds
        }
    }

    private let rule: Rule
    private let clock: any PortalClock
    private let attempts = NIOLockedValueBox<[String: [Date]]>([:])
    /// Keys tracked at most; the stalest go first beyond it.
    private let maximumKeys: Int

    public init(_ rule: Rule, clock: any PortalClock = SystemPortalClock(), maximumKeys: Int = 100_000) {
        self.rule = rule
        self.clock = clock
        self.maximumKeys = maximumKeys
    }

    /// Counts one attempt for `key`; false when the key already used its allowance in the window.
    public func allow(_ key: String) -> Bool {
        let now = clock.now
        return attempts.withLockedValue { table in
            var recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < rule.windowSeconds }
            guard recent.count < rule.attempts else {
                table[key] = recent
                return false
            }
            recent.append(now)
            if table[key] == nil && table.count >= maximumKeys {
                table = table.filter { $0.value.contains { now.timeIntervalSince($0) < rule.windowSeconds } }
                if table.count >= maximumKeys { return false }
            }
            table[key] = recent
            return true
        }
    }
}
