public import NIOCore
import NIOConcurrencyHelpers

/// The fast path's links to slapd, per event loop (issue #18): searches and simple binds of
/// the client sessions of one loop go through that loop's `UpstreamLoopLinks`. Writes,
/// transactions, extended operations and paged searches stay on the libldap pools.
///
/// Only for a backend reached over `ldapi://` or plain `ldap://`: over TLS the socket is
/// libldap's TLS session and cannot be handed to SwiftNIO.
public final class UpstreamLinks: Sendable {
    public struct Settings: Sendable {
        /// Links per event loop for searches.
        public var linksPerLoop: Int
        /// Requests at once on one link (below slapd's `olcConnMaxPendingAuth`, 1000 by default).
        public var operationsPerLink: Int
        /// Links per event loop for binds (one bind at a time on each).
        public var bindLinksPerLoop: Int
        /// How long opening a link keeps retrying while slapd is (re)starting.
        public var reconnectGrace: Duration

        public init(linksPerLoop: Int = 1, operationsPerLink: Int = 256, bindLinksPerLoop: Int = 8, reconnectGrace: Duration = .seconds(5)) {
            self.linksPerLoop = max(1, linksPerLoop)
            self.operationsPerLink = max(1, min(operationsPerLink, 900))
            self.bindLinksPerLoop = max(1, bindLinksPerLoop)
            self.reconnectGrace = reconnectGrace
        }
    }

    private let endpoint: BackendEndpoint
    private let bindEndpoint: BackendEndpoint
    public let settings: Settings
    /// What keeps searches and the transaction barrier apart (the store's).
    let gate: SearchBarrierGate
    private let loops = NIOLockedValueBox<(links: [ObjectIdentifier: UpstreamLoopLinks], closed: Bool)>(([:], false))

    /// Links for clients' searches on `endpoint`, and for binds on `bindEndpoint` (anonymous: the
    /// bind itself gives the link its identity, and the link serves binds only).
    public init?(
        endpoint: BackendEndpoint, bindEndpoint: BackendEndpoint, settings: Settings = Settings(), gate: SearchBarrierGate = SearchBarrierGate()
    ) {
        let uri = endpoint.uri.lowercased()
        guard uri.hasPrefix("ldapi://") || uri.hasPrefix("ldap://") else { return nil }
        self.endpoint = endpoint
        self.bindEndpoint = bindEndpoint
        self.settings = settings
        self.gate = gate
    }

    /// The links of one event loop (made on first use).
    public func links(for eventLoop: any EventLoop) -> UpstreamLoopLinks {
        let key = ObjectIdentifier(eventLoop)
        return loops.withLockedValue { state in
            if let existing = state.links[key] { return existing }
            let made = UpstreamLoopLinks(eventLoop: eventLoop, endpoint: endpoint, bindEndpoint: bindEndpoint, settings: settings, gate: gate)
            state.links[key] = made
            return made
        }
    }

    /// Moves every loop to new links, opened on the provider list as it is now (`UpstreamLoopLinks.retire()`).
    public func retireAll() {
        let all = loops.withLockedValue { Array($0.links.values) }
        for loopLinks in all { loopLinks.eventLoop.execute { loopLinks.retire() } }
    }

    /// Ends every link.
    public func close() async {
        let all = loops.withLockedValue { state -> [UpstreamLoopLinks] in
            state.closed = true
            return Array(state.links.values)
        }
        for loopLinks in all {
            try? await loopLinks.eventLoop.submit { loopLinks.close() }.get()
        }
    }
}
