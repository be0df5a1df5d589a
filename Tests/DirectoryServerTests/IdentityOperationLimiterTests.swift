@testable import DirectoryServer
import NIOConcurrencyHelpers
import Testing

/// Issue #14 finding 8: one identity's operations in progress are bounded over all its
/// connections, and another identity is never held behind them.
@Suite("One identity's share of the operations in progress")
struct IdentityOperationLimiterTests {
    @Test("at the limit an identity's next operation waits until one of its own ends; another identity goes at once")
    func boundedPerIdentity() async throws {
        let limiter = IdentityOperationLimiter(limit: 2)
        await limiter.acquire("uid=flood")
        await limiter.acquire("uid=flood")
        let admitted = NIOLockedValueBox(false)
        let waiting = Task {
            await limiter.acquire("uid=flood")
            admitted.withLockedValue { $0 = true }
        }
        // Another identity is not held behind the flood.
        await limiter.acquire("uid=admin")
        #expect(limiter.inProgress("uid=admin") == 1)
        for _ in 0..<20 { await Task.yield() }
        #expect(!admitted.withLockedValue { $0 }, "a third operation of the same identity went past the limit")
        #expect(limiter.inProgress("uid=flood") == 2)
        limiter.release("uid=flood")
        await waiting.value
        #expect(admitted.withLockedValue { $0 })
        #expect(limiter.inProgress("uid=flood") == 2, "the released slot passed to the waiting operation")
        limiter.release("uid=flood")
        limiter.release("uid=flood")
        limiter.release("uid=admin")
        #expect(limiter.inProgress("uid=flood") == 0 && limiter.inProgress("uid=admin") == 0)
    }
}
