import NIOConcurrencyHelpers

/// Every open handle of the process to a directory provider, by the provider it reached (issue
/// #19, several machines): the pools' handles, busy or idle, the fast path's links, the probes.
/// When a provider stops answering without closing its connections (a network cut, a frozen
/// slapd), `ProviderWatch` severs every handle to it at once (`LDAPConnection.sever()`), so no
/// request waits out its result timeout; the handles are reopened on the next provider.
final class LiveConnections: Sendable {
    static let shared = LiveConnections()

    private struct Reference: @unchecked Sendable {
        weak var connection: LDAPConnection?
    }
    private let connections = NIOLockedValueBox<[ObjectIdentifier: Reference]>([:])

    func add(_ connection: LDAPConnection) {
        connections.withLockedValue { $0[ObjectIdentifier(connection)] = Reference(connection: connection) }
    }

    func remove(_ connection: LDAPConnection) {
        _ = connections.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Severs every open handle whose provider is one of `peers` (`ProviderAddress` forms); how many.
    @discardableResult
    func sever(peers: Set<String>) -> Int {
        let targets = connections.withLockedValue { all in
            all.values.compactMap(\.connection).filter { $0.peer.map(peers.contains) ?? false }
        }
        for connection in targets { connection.sever() }
        return targets.count
    }
}
