import NIOConcurrencyHelpers

/// Every connection's open paged search sequences together (RFC 2696): each
/// holds a slapd connection (a file descriptor) until it ends, so they are
/// bounded per identity and in total, not only per connection. Beyond a
/// bound, the sequence used least recently ends (its slapd connection is
/// closed; its cookie then gets "unknown paged results cookie"): the
/// identity's own when it is the identity's bound, anyone's for the total.
final class PagedSearchBudget: Sendable {
    /// A sequence as the budget knows it.
    struct Sequence: Sendable {
        let registry: PagedSearchRegistry
        let cookie: [UInt8]
        let owner: String
        var lastUse: UInt64
    }

    private struct Key: Hashable {
        let registry: ObjectIdentifier
        let cookie: [UInt8]
    }

    let total: Int
    let perIdentity: Int
    private let state = NIOLockedValueBox<(sequences: [Key: Sequence], clock: UInt64)>(([:], 0))

    init(total: Int, perIdentity: Int) {
        self.total = max(1, total)
        self.perIdentity = max(1, perIdentity)
    }

    /// Records a new sequence or its latest use; returns the sequences that must end to stay within bounds.
    func use(_ registry: PagedSearchRegistry, cookie: [UInt8], owner: String) -> [Sequence] {
        state.withLockedValue { state in
            state.clock += 1
            let key = Key(registry: ObjectIdentifier(registry), cookie: cookie)
            if state.sequences[key] != nil {
                state.sequences[key]?.lastUse = state.clock
                return []
            }
            state.sequences[key] = Sequence(registry: registry, cookie: cookie, owner: owner, lastUse: state.clock)
            var ended: [Sequence] = []
            let owned = state.sequences.filter { $0.value.owner == owner }
            if owned.count > perIdentity, let oldest = owned.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                ended.append(oldest.value)
                state.sequences.removeValue(forKey: oldest.key)
            }
            while state.sequences.count > total, let oldest = state.sequences.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                ended.append(oldest.value)
                state.sequences.removeValue(forKey: oldest.key)
            }
            return ended
        }
    }

    /// Forgets a sequence that ended.
    func ended(_ registry: PagedSearchRegistry, cookie: [UInt8]) {
        _ = state.withLockedValue { $0.sequences.removeValue(forKey: Key(registry: ObjectIdentifier(registry), cookie: cookie)) }
    }

    /// Sequences open now, in every connection.
    var count: Int { state.withLockedValue { $0.sequences.count } }
}
