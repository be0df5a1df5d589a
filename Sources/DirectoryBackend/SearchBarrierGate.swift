import NIOConcurrencyHelpers

/// Keeps the transaction barrier (`TransactionSettling`) and the searches that examine more than
/// one entry apart.
///
/// While slapd pauses its thread pool (the barrier's Modify of `cn=config`), `send_search_entry`
/// ends every search in progress with `busy` (51) when its entries reach a multiple of 64
/// (`servers/slapd/result.c`); and the pause itself waits until every worker's task is over, so
/// a search that scans many entries without returning any (an unindexed filter, even under a
/// small size limit) would stall every operation of slapd's until it ends. So a barrier is sent
/// only when none of Annuaire's one-level or subtree searches is in progress.
///
/// A transaction that wants one *drains* the gate, like a writer-preferring lock: the searches
/// that come from then on wait, the ones in progress go on, and the barrier goes as soon as the
/// last of them ends. If they have not all ended within `TransactionSettling.drainMicroseconds`
/// (5 ms), the searches held back go and the transaction waits the rest of the fixed pause
/// instead. Either way a search waits at most that long plus the barrier's answer (a few hundred
/// microseconds). A base-scope search examines one
/// entry and passes freely. Every path Annuaire searches slapd on goes through here: the fast
/// path's links, the paged sequences' links, the libldap pools.
public final class SearchBarrierGate: @unchecked Sendable {
    /// What a transaction may do before its end (`drainForBarrier`).
    enum Drain: Equatable {
        /// No search is in progress and none will start: send the barrier, then `endBarrier`.
        case barrier
        /// The searches in progress did not all end within the wait: pause for the rest.
        case waitedOut
        /// Another transaction's barrier is draining or in flight: pause as before.
        case busy
    }

    private struct State {
        var searches = 0
        /// A transaction waits for the searches in progress to end before sending its barrier.
        var draining = false
        var barrier = false
        var held: [@Sendable () -> Void] = []
    }

    /// The state, guarded by `lock`, whose value says whether no search is in progress.
    private var state = State()
    private let lock = ConditionLock(value: true)

    public init() {}

    /// Whether a search is kept apart from the barrier: any but a base-scope one.
    public static func isGated(baseScope: Bool) -> Bool {
        !baseScope
    }

    private func locked<Result>(_ body: (inout State) -> Result) -> Result {
        lock.lock()
        let result = body(&state)
        lock.unlock(withValue: state.searches == 0)
        return result
    }

    /// A search starts if no barrier is draining or in flight: true, and it counts until `leave`.
    func tryEnter() -> Bool {
        locked { state in
            guard !state.barrier, !state.draining else { return false }
            state.searches += 1
            return true
        }
    }

    /// A search starts: true when it may go now (it counts until `leave`); false when a barrier
    /// is draining or in flight, and `resume` is called once it is over, the search then counting.
    func enter(_ resume: @escaping @Sendable () -> Void) -> Bool {
        locked { state in
            if state.barrier || state.draining {
                state.held.append(resume)
                return false
            }
            state.searches += 1
            return true
        }
    }

    /// A search starts, waiting out a barrier draining or in flight; it counts until `leave`.
    func enter() async {
        if tryEnter() { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if enter({ continuation.resume() }) { continuation.resume() }
        }
    }

    /// A search that entered is over.
    func leave() {
        locked { $0.searches -= 1 }
    }

    /// Holds new searches back and waits, blocking the calling thread at most `microseconds`, until
    /// those in progress are over (call from a thread that may block, never an event loop).
    func drainForBarrier(within microseconds: UInt32) -> Drain {
        lock.lock()
        if state.barrier || state.draining {
            lock.unlock(withValue: state.searches == 0)
            return .busy
        }
        if state.searches == 0 {
            state.barrier = true
            lock.unlock(withValue: true)
            return .barrier
        }
        state.draining = true
        lock.unlock(withValue: false)
        if lock.lock(whenValue: true, timeoutSeconds: Double(microseconds) / 1_000_000) {
            state.draining = false
            state.barrier = true
            lock.unlock(withValue: true)
            return .barrier
        }
        release { $0.draining = false }
        return .waitedOut
    }

    /// The barrier is answered: the searches that waited go.
    func endBarrier() {
        release { $0.barrier = false }
    }

    /// Ends a drain or a barrier (`change`) and lets the searches held back go, counting them.
    private func release(_ change: (inout State) -> Void) {
        let held = locked { state -> [@Sendable () -> Void] in
            change(&state)
            let held = state.held
            state.searches += held.count
            state.held = []
            return held
        }
        for resume in held { resume() }
    }

    /// Searches in progress (tests).
    var searchesInProgress: Int { locked { $0.searches } }
}
