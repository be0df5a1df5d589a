import NIOConcurrencyHelpers

/// A libldap handle reserved for one client's paged search sequence (RFC 2696
/// §3: the server keeps a paged search's state; slapd keeps it per
/// connection). It is opened on first use, outside the pool's capacity, used
/// by one request at a time, and closed when the sequence ends.
///
/// On the fast path (issue #18) the sequence's pages go instead on an upstream link of its own,
/// opened on the client connection's event loop at the first page (`UpstreamLoopLinks.sendPaged`).
public final class DedicatedConnection: Sendable {
    private let state: NIOLockedValueBox<(lease: ConnectionPool.Lease?, busy: Bool)>
    /// The sequence's own upstream link on the fast path, and the loop's links it goes back to
    /// when the sequence ends; `closed`: the sequence has ended.
    let upstream = NIOLockedValueBox<(link: UpstreamLink?, owner: UpstreamLoopLinks?, closed: Bool)>((nil, nil, false))

    /// A libldap handle of `OpenLDAPStore`'s, opened on first use.
    init(pool: ConnectionPool) {
        state = NIOLockedValueBox((ConnectionPool.Lease(connection: nil, reused: false), false))
    }

    /// A sequence token for a store that is not libldap's (it keeps the state of the
    /// sequences it gives out itself, by the token's identity).
    public init() {
        state = NIOLockedValueBox((nil, false))
    }

    /// Runs `body` with the connection's lease; refuses a second concurrent use.
    func withLease<T: Sendable>(_ body: (inout ConnectionPool.Lease) async throws -> T) async throws -> T {
        guard var lease = state.withLockedValue({ state -> ConnectionPool.Lease? in
            guard !state.busy, let lease = state.lease else { return nil }
            state.busy = true
            return lease
        }) else {
            throw LDAPOperationErrorFactory.busyPagedSearch
        }
        defer { state.withLockedValue { $0.busy = false } }
        do {
            let value = try await body(&lease)
            state.withLockedValue { $0.lease = lease }
            return value
        } catch {
            state.withLockedValue { $0.lease = lease }
            throw error
        }
    }

    /// Closes the handle (slapd drops the paged state with it).
    public func close() {
        let lease = state.withLockedValue { state -> ConnectionPool.Lease? in
            defer { state.lease = nil }
            return state.lease
        }
        lease?.connection?.close()
        let (link, owner) = upstream.withLockedValue { state -> (UpstreamLink?, UpstreamLoopLinks?) in
            defer { state = (nil, nil, true) }
            return (state.link, state.owner)
        }
        if let link, let owner { owner.eventLoop.execute { owner.pagedSequenceEnded(link) } }
    }

    deinit { close() }
}
