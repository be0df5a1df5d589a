public import LDAPProtocol

/// The Swift face of the store (docs/architecture.md: "OpenLDAP stores and
/// evaluates"): every operation Annuaire performs on its data. `OpenLDAPStore`
/// implements it with libldap; tests of pure rules may use another.
public protocol DirectoryStore: Sendable {
    /// Checks a simple bind (RFC 4513 §5.1.3) against the store: slapd checks
    /// the password and applies its password policy.
    func bind(dn: String, password: [UInt8], controls: [LDAPControl]) async throws -> BindOutcome

    /// Runs a search, handing its events to `handler` in batches as they come;
    /// returns the final result. `handler` may throw to stop the search (it is
    /// then abandoned in the store).
    ///
    /// With a `DedicatedConnection` the search runs on that connection: slapd
    /// keeps a paged search's state per connection (RFC 2696), so every page
    /// of one sequence must go through the same one.
    func search(
        _ query: SearchQuery, controls: [LDAPControl], on connection: DedicatedConnection?,
        handler: @Sendable ([SearchEvent]) async throws -> Void
    ) async throws -> (LDAPResult, [LDAPControl])

    /// A connection outside the pool, for one client's paged search sequence.
    func makeDedicatedConnection() -> DedicatedConnection

    /// Updates and compare: slapd's non-success results are thrown as `LDAPOperationError`,
    /// except compareTrue/compareFalse, which are outcomes.
    @discardableResult
    func add(dn: String, attributes: [PartialAttribute], controls: [LDAPControl]) async throws -> OperationOutcome
    @discardableResult
    func modify(dn: String, changes: [ModifyRequest.Change], controls: [LDAPControl]) async throws -> OperationOutcome
    @discardableResult
    func delete(dn: String, controls: [LDAPControl]) async throws -> OperationOutcome
    @discardableResult
    func rename(dn: String, newRDN: String, deleteOldRDN: Bool, newSuperior: String?, controls: [LDAPControl]) async throws -> OperationOutcome
    func compare(dn: String, attribute: String, value: [UInt8], controls: [LDAPControl]) async throws -> OperationOutcome
    func extended(name: String, value: [UInt8]?, controls: [LDAPControl]) async throws -> ExtendedOutcome

    /// Runs an extended operation as a person: binds as `dn` with `password`
    /// (slapd checks it and applies its password policy), then sends the
    /// operation on that same connection, so slapd acts with that person's
    /// rights (RFC 3062 self-service). A failed bind is returned as the result.
    func extended(asUser dn: String, password: [UInt8], name: String, value: [UInt8]?, controls: [LDAPControl]) async throws -> ExtendedOutcome

    /// Applies every change `body` makes in one RFC 5805 transaction: all or nothing.
    func transaction(_ body: @escaping @Sendable (inout TransactionWriter) throws -> Void) async throws

    /// The store as it carries out clients' operations: under an identity the backend itself
    /// forbids the password attributes and its configuration (defence in depth behind R8), where
    /// the backend grants one; Annuaire's own work (temporary passwords, schema checks) keeps
    /// the service identity.
    func forClients() -> any DirectoryStore

    /// Links on which clients' searches and binds may be forwarded as raw LDAP (nil: none).
    func upstreamLinks() -> UpstreamLinks?
}

extension DirectoryStore {
    /// A store with no separate client identity acts for clients as itself.
    public func forClients() -> any DirectoryStore { self }

    /// Links on which clients' searches and binds may be forwarded as raw LDAP, with the identity of
    /// `forClients()` (issue #18's fast path); nil: every operation goes through the store's calls.
    public func upstreamLinks() -> UpstreamLinks? { nil }
}

extension DirectoryStore {
    /// Collects a whole search (for small, bounded reads).
    public func searchAll(_ query: SearchQuery, controls: [LDAPControl] = []) async throws -> [SearchResultEntry] {
        let collector = EntryCollector()
        let (result, _) = try await search(query, controls: controls, on: nil) { events in
            for case .entry(let entry) in events { collector.append(entry) }
        }
        guard result.code == .success else {
            throw LDAPOperationError(result.code, result.diagnosticMessage, matchedDN: result.matchedDN)
        }
        return collector.entries
    }

    /// Reads one entry, or nil if it does not exist.
    public func read(_ dn: String, attributes: [String] = []) async throws -> SearchResultEntry? {
        do {
            return try await searchAll(SearchQuery(base: dn, scope: .baseObject, attributes: attributes)).first
        } catch let error as LDAPOperationError where error.code == .noSuchObject {
            return nil
        }
    }
}
