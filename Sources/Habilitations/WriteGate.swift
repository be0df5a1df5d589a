import LDAPProtocol
import NIOConcurrencyHelpers

/// Lets one rule-checked write at a time through, in arrival order. Each
/// write reads its convention, derives the materialised state (member,
/// memberOf, annHabilitation, statuses: R5, R7) and commits it in one
/// transaction; two at once in a convention would each derive from a reading
/// the other makes stale, and the last commit would erase the other's
/// effect on the derived values (a lost update). One at a time, every write
/// derives from what the previous one committed. This holds for one
/// Annuaire process; between processes (several front-ends on one
/// directory), `ConcurrencyGuard` makes the losing write start again.
///
/// One identity cannot fill the queue: at most `queuedPerIdentity` of its
/// writes wait at once (besides the one running); one more is answered
/// `busy` (51) at once, so that one client's pipelined writes do not delay
/// everyone else's. Writes the rules refuse never get here
/// (`HabilitationService` judges them before they queue).
final class WriteGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [(identity: String?, continuation: CheckedContinuation<Bool, Never>)] = []
        /// Writes waiting, by identity.
        var queued: [String: Int] = [:]
    }
    private let state = NIOLockedValueBox(State())
    /// Writes of one identity that may wait at once.
    let queuedPerIdentity: Int

    init(queuedPerIdentity: Int = 8) {
        self.queuedPerIdentity = queuedPerIdentity
    }

    /// Runs `body` alone; `identity` (a principal's DN, nil for the server's own work) is limited
    /// to `queuedPerIdentity` waiting writes.
    func withLock<T: Sendable>(for identity: String? = nil, _ body: () async throws -> T) async throws -> T {
        try await acquire(identity)
        defer { release() }
        return try await body()
    }

    private func acquire(_ identity: String?) async throws {
        let key = identity?.lowercased()
        // Resumed with whether the write is refused (decided under the lock that queues it).
        let refused = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let decision = state.withLockedValue { state -> Bool? in
                if !state.busy {
                    state.busy = true
                    return false
                }
                if let key, state.queued[key, default: 0] >= queuedPerIdentity { return true }
                state.waiters.append((key, continuation))
                if let key { state.queued[key, default: 0] += 1 }
                return nil
            }
            if let decision { continuation.resume(returning: decision) }
        }
        if refused {
            throw LDAPOperationError(
                .busy, "this account already has \(queuedPerIdentity) changes waiting for the directory; wait for their answers before sending more")
        }
    }

    private func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiters.isEmpty else {
                state.busy = false
                return nil
            }
            let next = state.waiters.removeFirst()  // handed over: stays busy
            if let key = next.identity {
                state.queued[key, default: 1] -= 1
                if state.queued[key] == 0 { state.queued.removeValue(forKey: key) }
            }
            return next.continuation
        }
        next?.resume(returning: false)
    }

    /// Writes waiting now (not counting the one running).
    var waiting: Int { state.withLockedValue { $0.waiters.count } }
}
