import NIOConcurrencyHelpers

/// One identity's share of the server (issue #14, finding 8): at most `limit`
/// operations of one bound identity (or, unbound, of one client address) are
/// in progress at once over all its connections. A session whose identity is
/// at its limit reads no further request until one of them ends, so TCP pushes
/// back on that client alone: a flood of requests, refused or not, from one
/// account or address holds at most `limit` of the directory store's handles
/// and cannot queue ahead of everyone else's operations.
final class IdentityOperationLimiter: Sendable {
    private struct State {
        var inProgress: [String: Int] = [:]
        var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits until `key` has fewer than `limit` operations in progress, then counts one more.
    func acquire(_ key: String) async {
        await withCheckedContinuation { continuation in
            let admitted = state.withLockedValue { state -> Bool in
                if state.inProgress[key, default: 0] < limit {
                    state.inProgress[key, default: 0] += 1
                    return true
                }
                state.waiters[key, default: []].append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    /// Counts one more operation for `key` if it has room now and nobody of the same key waits;
    /// false otherwise (the caller then goes the waiting way, `acquire`).
    func tryAcquire(_ key: String) -> Bool {
        state.withLockedValue { state -> Bool in
            guard state.waiters[key] == nil, state.inProgress[key, default: 0] < limit else { return false }
            state.inProgress[key, default: 0] += 1
            return true
        }
    }

    /// Ends one of `key`'s operations; the next waiting one of the same key, if any, takes its place.
    func release(_ key: String) {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if var waiting = state.waiters[key], !waiting.isEmpty {
                let first = waiting.removeFirst()
                state.waiters[key] = waiting.isEmpty ? nil : waiting
                return first  // the count stays: the slot passes to the waiter
            }
            let count = state.inProgress[key, default: 1] - 1
            state.inProgress[key] = count > 0 ? count : nil
            return nil
        }
        next?.resume()
    }

    /// Operations in progress for `key` (tests).
    func inProgress(_ key: String) -> Int { state.withLockedValue { $0.inProgress[key] ?? 0 } }
}
