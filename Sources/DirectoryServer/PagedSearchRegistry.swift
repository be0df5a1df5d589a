import DirectoryBackend
import LDAPProtocol
import NIOConcurrencyHelpers

/// One connection's paged search sequences (RFC 2696 §3). Each sequence has a
/// dedicated slapd connection, where slapd keeps its state; the client sees
/// an opaque random cookie of Annuaire's, bound to this connection and to the
/// search it began with, never slapd's. At most `capacity` sequences stay
/// open per connection; beginning one more ends the oldest. The server's
/// `PagedSearchBudget` bounds them per identity and in total as well.
final class PagedSearchRegistry: Sendable {
    struct Sequence: Sendable {
        let connection: DedicatedConnection
        var backendCookie: [UInt8]
        let signature: String
        var lastUse: UInt64
    }

    static let capacity = 4
    private let sequences = NIOLockedValueBox<(entries: [[UInt8]: Sequence], clock: UInt64)>(([:], 0))
    /// Every connection's sequences.
    private let budget: PagedSearchBudget?
    /// Who the session is bound as (or `anonymous <address>`): the owner of the sequences it begins.
    private let ownerBox: NIOLockedValueBox<String>

    init(budget: PagedSearchBudget? = nil, owner: String = "anonymous") {
        self.budget = budget
        ownerBox = NIOLockedValueBox(owner)
    }

    /// The identity new sequences are counted for (set at each bind).
    var owner: String {
        get { ownerBox.withLockedValue { $0 } }
        set { ownerBox.withLockedValue { $0 = newValue } }
    }

    /// The sequence a cookie names, checked against the search it must repeat.
    func sequence(for cookie: [UInt8], signature: String) throws -> Sequence {
        guard let sequence = sequences.withLockedValue({ $0.entries[cookie] }) else {
            throw LDAPOperationError(
                .protocolError,
                "unknown paged results cookie: it was not issued on this connection, or its sequence has ended; start again with an empty cookie"
            )
        }
        guard sequence.signature == signature else {
            throw LDAPOperationError(
                .protocolError,
                "the paged results cookie belongs to a different search; repeat the same search request with it (RFC 2696 §3)"
            )
        }
        return sequence
    }

    /// Records a sequence under a cookie (a new random one for a new sequence).
    func store(_ sequence: Sequence, cookie existing: [UInt8]?) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let cookie = existing ?? (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let evicted = sequences.withLockedValue { state -> (cookie: [UInt8], connection: DedicatedConnection)? in
            state.clock += 1
            var updated = sequence
            updated.lastUse = state.clock
            state.entries[cookie] = updated
            guard state.entries.count > Self.capacity,
                  let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            else { return nil }
            state.entries.removeValue(forKey: oldest.key)
            return (oldest.key, oldest.value.connection)
        }
        if let evicted {
            evicted.connection.close()
            budget?.ended(self, cookie: evicted.cookie)
        }
        for other in budget?.use(self, cookie: cookie, owner: owner) ?? [] {
            other.registry.endWithoutBudget(other.cookie)
        }
        return cookie
    }

    /// Ends a sequence and closes its slapd connection.
    func end(_ cookie: [UInt8]) {
        endWithoutBudget(cookie)
        budget?.ended(self, cookie: cookie)
    }

    /// Ends a sequence the budget already forgot.
    private func endWithoutBudget(_ cookie: [UInt8]) {
        sequences.withLockedValue { $0.entries.removeValue(forKey: cookie) }?.connection.close()
    }

    /// Ends every sequence (the client connection is closing).
    func endAll() {
        let all = sequences.withLockedValue { state -> [([UInt8], Sequence)] in
            defer { state.entries = [:] }
            return state.entries.map { ($0.key, $0.value) }
        }
        for (cookie, sequence) in all {
            sequence.connection.close()
            budget?.ended(self, cookie: cookie)
        }
    }
}
