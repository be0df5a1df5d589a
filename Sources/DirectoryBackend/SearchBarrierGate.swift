import NIOConcurrencyHelpers

/// Keeps the transaction barrier (`TransactionSettling`) and the searches that examine more than
/// one entry apart.
///
/// While slapd pauses its thread pool (the barrier's Modify of `cn=config`), `send_search_entry`
/// ends every search in progress with `busy` (51) when its entries reach a multiple of 64
/// (`servers/slapd/result.c`); and the pause itself waits until every worker's task is over, so
/// a search that scans many entries without returning any (an unindexed filter, even under a
/// small size limit) would stall every operation of slapd's until it ends. So a barrier is sent
/// only when none of Annuaire's one-level or subtree searches is in progress, and such a search
/// that comes while a barrier is in flight waits until it is answered (a few hundred
/// microseconds). A base-scope search examines one entry and passes freely. Every path Annuaire
/// searches slapd on goes through here: the fast path's links, the paged sequences' links, the
/// libldap pools.
public final class SearchBarrierGate: Sendable {
    private struct State {
        var searches = 0
        var barrier = false
        var held: [@Sendable () -> Void] = []
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Whether a search is kept apart from the barrier: any but a base-scope one.
    public static func isGated(baseScope: Bool) -> Bool {
        !baseScope
    }

    /// A search starts: true when it may go now (it counts until `leave`); false when a barrier
    /// is in flight, and `resume` is called once it is answered, the search then counting.
    func enter(_ resume: @escaping @Sendable () -> Void) -> Bool {
        state.withLockedValue { state in
            if state.barrier {
                state.held.append(resume)
                return false
            }
            state.searches += 1
            return true
        }
    }

    /// A search starts, waiting out a barrier in flight; it counts until `leave`.
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if enter({ continuation.resume() }) { continuation.resume() }
        }
    }

    /// A search that entered is over.
    func leave() {
        state.withLockedValue { $0.searches -= 1 }
    }

    /// Whether a barrier may be sent now (no search that entered is in progress); if so, searches
    /// wait until `endBarrier`.
    func beginBarrier() -> Bool {
        state.withLockedValue { state in
            guard state.searches == 0, !state.barrier else { return false }
            state.barrier = true
            return true
        }
    }

    /// The barrier is answered: the searches that waited go.
    func endBarrier() {
        let held = state.withLockedValue { state -> [@Sendable () -> Void] in
            state.barrier = false
            let held = state.held
            state.searches += held.count
            state.held = []
            return held
        }
        for resume in held { resume() }
    }

    /// Searches in progress (tests).
    var searchesInProgress: Int { state.withLockedValue { $0.searches } }
}
