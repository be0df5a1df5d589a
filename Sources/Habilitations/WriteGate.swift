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
final class WriteGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = NIOLockedValueBox(State())

    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLockedValue { state -> Bool in
                if !state.busy {
                    state.busy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()  // handed over: stays busy
        }
        next?.resume()
    }
}
