import Glibc
import NIOPosix
public import LDAPProtocol
import LibLDAP

/// The directory store backed by OpenLDAP through libldap (docs/architecture.md:
/// "OpenLDAP stores and evaluates"). Two pools: data operations run as the
/// service identity (SASL EXTERNAL on the embedded slapd), and users'
/// passwords are checked by simple binds on a separate anonymous pool, so
/// slapd's password policy applies and no handle changes identity under a
/// data operation.
public final class OpenLDAPStore: DirectoryStore {
    public struct Configuration: Sendable {
        public var endpoint: BackendEndpoint
        /// Handles for data operations.
        public var dataConnections: Int
        /// Handles for checking passwords.
        public var bindConnections: Int
        /// Search messages handed over per hop from the pool threads.
        public var searchBatchSize: Int
        /// What is wrong with the store's storage, if anything (the embedded
        /// slapd's `DataDirectory.fileSystemProblem`): consulted when a write
        /// fails with slapd's bare `other` (80, "txn_commit failed"), so the
        /// client learns the disk is full or read-only.
        public var storageDiagnosis: (@Sendable () -> String?)?

        public init(endpoint: BackendEndpoint, dataConnections: Int = 8, bindConnections: Int = 4, searchBatchSize: Int = 64) {
            self.endpoint = endpoint
            self.dataConnections = dataConnections
            self.bindConnections = bindConnections
            self.searchBatchSize = searchBatchSize
        }
    }

    public let configuration: Configuration
    private let threadPool: NIOThreadPool
    /// The handles this view runs data operations on: the service identity's, or for the
    /// view `forClients()` returns, the restricted identity's.
    private let dataPool: ConnectionPool
    /// The service identity's handles (the owner's `dataPool`): what reads `cn=config`.
    private let servicePool: ConnectionPool
    private let bindPool: ConnectionPool
    /// The restricted identity's handles (`BackendEndpoint.clientAuthorizationDN`), or nil when
    /// the backend grants none: clients' operations then share the service identity's.
    private let clientPool: ConnectionPool?
    /// The view that owns the pools and the threads (the one `init` made).
    private let isOwner: Bool
    /// The fast path's links (issue #18): clients' searches and binds forwarded on SwiftNIO event
    /// loops; nil for a backend over TLS.
    private let links: UpstreamLinks?
    /// How this view's transactions end (its identity may or may not send the barrier).
    let settling: TransactionSettling
    /// Keeps the barrier and the searches of more than one entry apart (shared by the views).
    let gate: SearchBarrierGate
    /// The restricted identity's, which every `forClients()` view shares.
    private let clientSettling: TransactionSettling

    /// Handles kept for Annuaire's own work when clients' operations have their own identity.
    static let serviceConnectionsBesideClients = 2

    public init(configuration: Configuration) {
        // libldap writes to sockets without MSG_NOSIGNAL: a slapd that died
        // must give the request an error, not kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        let restricted = configuration.endpoint.clientAuthorizationDN != nil
        let serviceConnections = restricted ? Self.serviceConnectionsBesideClients : configuration.dataConnections
        let clientConnections = restricted ? configuration.dataConnections : 0
        threadPool = NIOThreadPool(numberOfThreads: serviceConnections + clientConnections + configuration.bindConnections)
        threadPool.start()
        dataPool = ConnectionPool(endpoint: configuration.endpoint, capacity: serviceConnections, threadPool: threadPool)
        servicePool = dataPool
        bindPool = ConnectionPool(endpoint: configuration.endpoint.anonymous, capacity: configuration.bindConnections, threadPool: threadPool)
        clientPool = restricted
            ? ConnectionPool(endpoint: configuration.endpoint.forClients, capacity: clientConnections, threadPool: threadPool)
            : nil
        let gate = SearchBarrierGate()
        self.gate = gate
        links = UpstreamLinks(endpoint: configuration.endpoint.forClients, bindEndpoint: configuration.endpoint.anonymous, gate: gate)
        settling = TransactionSettling()
        clientSettling = TransactionSettling()
        isOwner = true
    }

    /// A view of the same store whose data operations run on the restricted identity's handles.
    private init(clientsOf owner: OpenLDAPStore, pool: ConnectionPool) {
        configuration = owner.configuration
        threadPool = owner.threadPool
        dataPool = pool
        servicePool = owner.servicePool
        bindPool = owner.bindPool
        clientPool = pool
        links = owner.links
        settling = owner.clientSettling
        gate = owner.gate
        clientSettling = owner.clientSettling
        isOwner = false
    }

    /// The store as clients' operations use it: on the restricted identity's handles when the
    /// backend grants one (`BackendEndpoint.clientAuthorizationDN`), else this store itself.
    public func forClients() -> any DirectoryStore {
        guard isOwner, let clientPool else { return self }
        return OpenLDAPStore(clientsOf: self, pool: clientPool)
    }

    /// Reopens every handle before its next use, so that each connects again to the first
    /// provider of the `--backend` list that answers (`ProviderWatch`, issue #19); the fast
    /// path's links likewise, once their requests are answered.
    public func reopenConnections() {
        links?.retireAll()
        dataPool.reopenAll()
        clientPool?.reopenAll()
        bindPool.reopenAll()
    }

    /// Shuts down every open connection of the process to these providers (`ProviderWatch`, a
    /// provider that stopped answering): what waits on them fails at once with `unavailable` (52)
    /// instead of waiting out the result timeout. Returns how many were cut.
    @discardableResult
    public func severConnections(to uris: [String]) -> Int {
        let peers = uris.reduce(into: Set<String>()) { $0.formUnion(ProviderAddress.addresses(ofURI: $1)) }
        return LiveConnections.shared.sever(peers: peers)
    }

    /// Sets the providers new connections try (`ProviderSelection`); no effect on a store of one endpoint.
    public func selectProviders(_ uri: String) {
        configuration.endpoint.selection?.set(uri)
    }

    /// Closes every handle and stops the pool threads (the owning view only).
    public func shutdown() async {
        guard isOwner else { return }
        await links?.close()
        dataPool.close()
        clientPool?.close()
        bindPool.close()
        try? await threadPool.shutdownGracefully()
    }

    public func bind(dn: String, password: [UInt8], controls: [LDAPControl]) async throws -> BindOutcome {
        try await bindPool.withConnection(retryOnLostConnection: true) { connection in
            let outcome = try connection.simpleBind(dn: dn, password: password, controls: controls)
            return BindOutcome(result: outcome.result, controls: outcome.controls)
        }
    }

    /// The links clients' searches and binds are forwarded on (the identity of `forClients()`'s handles).
    public func upstreamLinks() -> UpstreamLinks? { links }

    public func makeDedicatedConnection() -> DedicatedConnection {
        DedicatedConnection(pool: dataPool)
    }

    public func search(
        _ query: SearchQuery, controls: [LDAPControl], on dedicated: DedicatedConnection?,
        handler: @Sendable ([SearchEvent]) async throws -> Void
    ) async throws -> (LDAPResult, [LDAPControl]) {
        // A search of more than one entry waits out a transaction barrier in flight (SearchBarrierGate).
        guard SearchBarrierGate.isGated(baseScope: query.scope == .baseObject) else {
            return try await ungatedSearch(query, controls: controls, on: dedicated, handler: handler)
        }
        await gate.enter()
        defer { gate.leave() }
        return try await ungatedSearch(query, controls: controls, on: dedicated, handler: handler)
    }

    private func ungatedSearch(
        _ query: SearchQuery, controls: [LDAPControl], on dedicated: DedicatedConnection?,
        handler: @Sendable ([SearchEvent]) async throws -> Void
    ) async throws -> (LDAPResult, [LDAPControl]) {
        if let dedicated {
            return try await dedicated.withLease { lease in
                try await self.search(query, controls: controls, lease: &lease, handler: handler)
            }
        }
        var lease = try await dataPool.lease()
        do {
            let outcome = try await search(query, controls: controls, lease: &lease, handler: handler)
            dataPool.giveBack(lease)
            return outcome
        } catch {
            dataPool.giveBack(lease)
            throw error
        }
    }

    /// Streams a search on a leased handle; abandons it in slapd if the handler stops it.
    private func search(
        _ query: SearchQuery, controls: [LDAPControl], lease: inout ConnectionPool.Lease,
        handler: @Sendable ([SearchEvent]) async throws -> Void
    ) async throws -> (LDAPResult, [LDAPControl]) {
        let batchSize = configuration.searchBatchSize
        var msgid: Int32 = 0
        do {
            // The first hop starts the search and takes its first messages; a
            // reused handle found dead is replaced once, before anything was delivered.
            var first: (Int32, [SearchEvent])
            do {
                first = try await dataPool.run(&lease) { connection in
                    let id = try connection.startSearch(query, controls: controls)
                    return (id, try connection.nextSearchMessages(id, limit: batchSize))
                }
            } catch is LDAPOperationError where lease.reused && lease.connection?.isBroken == true {
                lease.connection?.close()
                first = try await dataPool.run(&lease) { connection in
                    let id = try connection.startSearch(query, controls: controls)
                    return (id, try connection.nextSearchMessages(id, limit: batchSize))
                }
            }
            msgid = first.0
            var events = first.1
            while true {
                if case .done(let result, let responseControls) = events.last {
                    events.removeLast()
                    if !events.isEmpty { try await handler(events) }
                    return (result, responseControls)
                }
                if !events.isEmpty { try await handler(events) }
                let id = msgid
                events = try await dataPool.run(&lease) { connection in
                    try connection.nextSearchMessages(id, limit: batchSize)
                }
            }
        } catch {
            // The handler stopped (client gone, abandon) or the store failed:
            // abandon the search in slapd so the handle can be reused.
            if msgid != 0, let connection = lease.connection, !connection.isBroken {
                let id = msgid
                _ = try? await dataPool.run(&lease) { connection in connection.abandon(id) }
            }
            throw error
        }
    }

    @discardableResult
    public func add(dn: String, attributes: [PartialAttribute], controls: [LDAPControl]) async throws -> OperationOutcome {
        try await diagnosingStorage { try await self.dataPool.withConnection { try $0.add(dn: dn, attributes: attributes, controls: controls).outcome } }
    }

    @discardableResult
    public func modify(dn: String, changes: [ModifyRequest.Change], controls: [LDAPControl]) async throws -> OperationOutcome {
        try await diagnosingStorage { try await self.dataPool.withConnection { try $0.modify(dn: dn, changes: changes, controls: controls).outcome } }
    }

    @discardableResult
    public func delete(dn: String, controls: [LDAPControl]) async throws -> OperationOutcome {
        try await diagnosingStorage { try await self.dataPool.withConnection { try $0.delete(dn: dn, controls: controls).outcome } }
    }

    @discardableResult
    public func rename(dn: String, newRDN: String, deleteOldRDN: Bool, newSuperior: String?, controls: [LDAPControl]) async throws -> OperationOutcome {
        try await diagnosingStorage {
            try await self.dataPool.withConnection {
                try $0.rename(dn: dn, newRDN: newRDN, newSuperior: newSuperior, deleteOldRDN: deleteOldRDN, controls: controls).outcome
            }
        }
    }

    public func compare(dn: String, attribute: String, value: [UInt8], controls: [LDAPControl]) async throws -> OperationOutcome {
        try await dataPool.withConnection(retryOnLostConnection: true) {
            try $0.compare(dn: dn, attribute: attribute, value: value, controls: controls).outcome
        }
    }

    public func extended(name: String, value: [UInt8]?, controls: [LDAPControl]) async throws -> ExtendedOutcome {
        try await diagnosingStorage { try await self.dataPool.withConnection { try $0.extended(name: name, value: value, controls: controls) } }
    }

    public func extended(asUser dn: String, password: [UInt8], name: String, value: [UInt8]?, controls: [LDAPControl]) async throws -> ExtendedOutcome {
        try await bindPool.withConnection { connection in
            let bind = try connection.simpleBind(dn: dn, password: password, controls: [])
            guard bind.result.code == .success else {
                return ExtendedOutcome(result: bind.result, controls: [], name: nil, value: nil)
            }
            return try connection.extended(name: name, value: value, controls: controls)
        }
    }

    public func transaction(_ body: @escaping @Sendable (inout TransactionWriter) throws -> Void) async throws {
        if settling.replicationCheckDue { await readReplication() }
        try await diagnosingStorage { try await self.runTransaction(body) }
    }

    /// Whether slapd consumes a replica (a database or cn=config with `olcSyncrepl`), read as the
    /// service identity: the transaction barrier is used only where it is not (`TransactionSettling`).
    private func readReplication() async {
        let query = SearchQuery(base: "cn=config", scope: .wholeSubtree, filter: "(olcSyncrepl=*)", attributes: ["1.1"])
        let consumer = try? await servicePool.withConnection(retryOnLostConnection: true) { connection -> Bool in
            let (entries, result) = try connection.searchAll(query)
            guard result.code == .success else { throw LDAPOperationError(result.code, result.diagnosticMessage) }
            return !entries.isEmpty
        }
        settling.replicationRead(consumer: consumer)
    }

    /// A write that failed with `other` (80) while the storage is full or
    /// read-only becomes `unwillingToPerform` (53) saying so; slapd itself
    /// only says "txn_commit failed".
    private func diagnosingStorage<T: Sendable>(_ write: () async throws -> T) async throws -> T {
        do {
            return try await write()
        } catch let error as LDAPOperationError where error.code == .other {
            guard let problem = configuration.storageDiagnosis?() else { throw error }
            let detail = error.result.diagnosticMessage.isEmpty ? "" : " (\(error.result.diagnosticMessage))"
            throw LDAPOperationError(.unwillingToPerform, "the directory store cannot write: \(problem)\(detail); reads still work")
        }
    }

    /// Sends the barrier (a Modify of `cn=config` slapd refuses after pausing its workers);
    /// true when its answer proves them done.
    private func settle(on connection: LDAPConnection) -> Bool {
        guard let outcome = try? connection.modifyRequest(
            dn: TransactionSettling.barrierDN, changes: [TransactionSettling.barrierChange], controls: [])
        else { return false }
        return settling.barrierAnswered(outcome.result.code, diagnostic: outcome.result.diagnosticMessage)
    }

    private func runTransaction(_ body: @escaping @Sendable (inout TransactionWriter) throws -> Void) async throws {
        try await dataPool.withConnection { connection in
            let identifier = try connection.startTransaction()
            var writer = TransactionWriter(connection: connection, identifier: identifier)
            do {
                try body(&writer)
            } catch {
                if !connection.isBroken { try? connection.endTransaction(identifier, commit: false) }
                throw error
            }
            // slapd answers a queued request before its worker thread is done with it; a
            // `txn end` meanwhile crashes slapd 2.5.13 (TransactionSettling). The barrier's
            // answer proves every worker is done; without it, a fixed pause.
            // The barrier only once none of Annuaire's searches of more than one entry is in
            // progress (slapd's pause would end them with busy, 51, or wait for them): new ones
            // wait while those in progress end, for at most `drainMicroseconds`; past that, the
            // rest of the fixed pause (SearchBarrierGate).
            var pause = TransactionSettling.fallbackMicroseconds
            if self.settling.triesBarrier {
                switch self.gate.drainForBarrier(within: TransactionSettling.drainMicroseconds) {
                case .barrier:
                    if self.settle(on: connection) { pause = 0 }
                    self.gate.endBarrier()
                case .waitedOut:
                    pause -= TransactionSettling.drainMicroseconds
                case .busy:
                    break
                }
            }
            if pause > 0 { usleep(pause) }
            try connection.endTransaction(identifier, commit: true)
        }
    }
}


