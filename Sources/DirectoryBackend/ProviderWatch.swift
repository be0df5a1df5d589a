import Foundation
public import Logging
import NIOConcurrencyHelpers
public import ServiceLifecycle

/// Keeps a front-end's connections on the first reachable provider of its ordered `--backend`
/// list (issue #19, several machines; the providers replicate with syncrepl, RFC 4533).
///
/// Every `interval` it asks each provider for the suffix's `contextCSN` (the replication state,
/// one CSN per serverID). libldap already fails over by itself: a handle that lost its provider
/// is reopened on the next one of the list. What it cannot do is come back: once the preferred
/// provider answers again, the handles opened in between stay on the other one. So:
///
/// - the first reachable provider moved down the list (failover): every handle is reopened, so
///   none waits for a provider that no longer answers; the handles still connected to the silent
///   providers are severed (their sockets shut down), so the requests waiting on them are answered
///   `unavailable` (52) at once instead of after the 30 s result timeout (a provider cut off the
///   network or frozen sends no reset; a write that may have committed is never sent again); and
///   `onSwitch` is told (the reconciler then runs a whole derivation, which makes the derived
///   state whole after writes were lost or merged);
/// - the preferred provider is back (failback): handles move back once its `contextCSN` covers
///   the current provider's for every serverID (it has caught up with what was written while it
///   was away; rule checks must not read an old copy), or after `catchUpLimit` at the latest.
public struct ProviderWatch: Service {
    let providers: BackendProviderList
    let credentials: BackendEndpoint.Credentials
    let store: OpenLDAPStore
    let suffix: String
    let interval: Duration
    let catchUpLimit: Duration
    let logger: Logger
    let onSwitch: @Sendable (_ from: Int, _ to: Int) -> Void
    /// Providers whose probe has not answered yet.
    private let probesInFlight = NIOLockedValueBox(Set<String>())

    public init(
        providers: BackendProviderList, credentials: BackendEndpoint.Credentials, store: OpenLDAPStore, suffix: String,
        interval: Duration = .seconds(1), catchUpLimit: Duration = .seconds(30), logger: Logger,
        onSwitch: @escaping @Sendable (_ from: Int, _ to: Int) -> Void = { _, _ in }
    ) {
        self.providers = providers
        self.credentials = credentials
        self.store = store
        self.suffix = suffix
        self.interval = interval
        self.catchUpLimit = catchUpLimit
        self.logger = logger
        self.onSwitch = onSwitch
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var current = await probe().firstIndex(where: { $0 != nil }) ?? 0
            var waitingSince: ContinuousClock.Instant?
            let clock = ContinuousClock()
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let states = await probe()
                guard let first = states.firstIndex(where: { $0 != nil }) else {
                    logger.error("no directory provider answers", metadata: ["providers": "\(providers)"])
                    continue
                }
                if first > current {
                    logger.warning(
                        "write provider unreachable: failing over",
                        metadata: ["from": "\(providers.uris[current])", "to": "\(providers.uris[first])"])
                    store.reopenConnections()
                    let severed = store.severConnections(to: Array(providers.uris[..<first]))
                    if severed > 0 { logger.notice("severed connections to the silent providers", metadata: ["count": "\(severed)"]) }
                    onSwitch(current, first)
                    current = first
                    waitingSince = nil
                } else if first < current {
                    let caughtUp = Self.covers(states[first] ?? [], states[current] ?? [])
                    let since = waitingSince ?? clock.now
                    waitingSince = since
                    if caughtUp || clock.now - since >= catchUpLimit {
                        logger.notice(
                            "preferred provider is back: failing back",
                            metadata: [
                                "from": "\(providers.uris[current])", "to": "\(providers.uris[first])",
                                "caughtUp": "\(caughtUp)",
                            ])
                        store.reopenConnections()
                        onSwitch(current, first)
                        current = first
                        waitingSince = nil
                    }
                } else {
                    waitingSince = nil
                }
                // New connections try only the providers that answered, from the current one on
                // (one that came back is not used before it caught up), in the list's order.
                let answering = providers.uris.indices.filter { $0 >= current && states[$0] != nil }.map { providers.uris[$0] }
                store.selectProviders(answering.isEmpty ? providers.libldapURI : answering.joined(separator: " "))
            }
        }
    }

    /// Each provider's `contextCSN` values, or nil for one that does not answer within
    /// `probeTimeout`; asked at once.
    func probe() async -> [[String]?] {
        await withTaskGroup(of: (Int, [String]?).self) { group in
            for (index, uri) in providers.uris.enumerated() {
                group.addTask { [self] in (index, await probe(uri)) }
            }
            var states = [[String]?](repeating: nil, count: providers.uris.count)
            for await (index, state) in group { states[index] = state }
            return states
        }
    }

    /// How long a provider may take to answer a probe before it counts as unreachable: with the
    /// 1 s interval, a provider that stopped answering is left within 3 s.
    static let probeTimeout: Duration = .seconds(2)

    /// One provider's state, asked on a thread of its own: a provider that stopped answering
    /// without closing its connections (frozen, or behind a network cut) holds that thread until
    /// it answers or its connection breaks, so it is not asked again meanwhile (one thread at
    /// most per provider) and counts as unreachable after `probeTimeout`.
    private func probe(_ uri: String) async -> [String]? {
        guard probesInFlight.withLockedValue({ $0.insert(uri).inserted }) else { return nil }
        let credentials = credentials
        let suffix = suffix
        let inFlight = probesInFlight
        return await withCheckedContinuation { (continuation: CheckedContinuation<[String]?, Never>) in
            let pending = NIOLockedValueBox<CheckedContinuation<[String]?, Never>?>(continuation)
            let finish: @Sendable ([String]?) -> Void = { value in
                pending.withLockedValue { waiting in
                    waiting?.resume(returning: value)
                    waiting = nil
                }
            }
            Thread.detachNewThread {
                let state = Self.contextCSN(uri: uri, credentials: credentials, suffix: suffix)
                inFlight.withLockedValue { _ = $0.remove(uri) }
                finish(state)
            }
            Task {
                try? await Task.sleep(for: Self.probeTimeout)
                finish(nil)
            }
        }
    }

    /// The suffix entry's `contextCSN` values on one provider (blocking), nil if it does not answer.
    static func contextCSN(uri: String, credentials: BackendEndpoint.Credentials, suffix: String) -> [String]? {
        guard let connection = try? LDAPConnection(endpoint: BackendEndpoint(uri: uri, credentials: credentials), generation: 0) else {
            return nil
        }
        defer { connection.close() }
        guard let (entries, _) = try? connection.searchAll(
            SearchQuery(base: suffix, scope: .baseObject, attributes: ["contextCSN"], timeLimit: 5))
        else { return nil }
        return entries.flatMap { $0.values(of: "contextCSN").map { String(decoding: $0, as: UTF8.self) } }
    }

    /// True when `candidate` holds, for every serverID in `reference`, a CSN at least as recent
    /// (CSNs of one serverID order as strings: `YYYYmmddHHMMSS.uuuuuuZ#count#sid#mod`).
    public static func covers(_ candidate: [String], _ reference: [String]) -> Bool {
        let candidateBySID = Dictionary(candidate.map { (ChangeSequenceNumber.serverID(of: $0), $0) }, uniquingKeysWith: max)
        return reference.allSatisfy { csn in
            guard let mine = candidateBySID[ChangeSequenceNumber.serverID(of: csn)] else { return false }
            return mine >= csn
        }
    }
}
