public import LibLDAP
public import LDAPProtocol
import Foundation
public import Messages
import NIOConcurrencyHelpers
import NIOPosix

/// The portal acting as the person (issue #17, item 2): one libldap
/// connection to the Annuaire server, bound as the person at login and held
/// for the session, so that every page reads and writes with the person's
/// own rights, decided by the server (R1–R11, R8) as for the CLI or
/// ldapmodify. The password is not kept: it lived only in the login request.
///
/// `DirectoryClient` is blocking and single-threaded: calls run on NIO's
/// blocking thread pool, one at a time under the lock.
public final class PersonConnection: @unchecked Sendable {
    public struct ClosedError: Error {}

    private let lock = NIOLock()
    private var client: DirectoryClient?
    /// When the connection last carried a request (the server closes connections idle for its
    /// --idle-timeout, 15 minutes by default, as long as the portal's own idle limit).
    private var lastUsed = Date()
    /// The DN the connection is bound as.
    public let dn: String
    /// The conventions this person may work in, as last read, and when (this person's only:
    /// each session has its own connection, so nothing is shared between persons).
    /// (Under its own lock: the connection's is held during a request.)
    private let conventions = NIOLockedValueBox<(list: [ConventionChoice.Convention], readAt: Date)?>(nil)

    init(client: DirectoryClient, dn: String) {
        self.client = client
        self.dn = dn
    }

    /// The language the server is asked to word its refusals in (the session's: it may change mid-session).
    private let language = NIOLockedValueBox(Language.french)

    /// Asks the server for its refusals in `language` from the next request on (issue #16's
    /// language preference control, sent with every add, modify, delete and extended operation).
    public func use(_ language: Language) {
        self.language.withLockedValue { $0 = language }
    }

    /// Runs `body` with the bound client, off the event loops.
    public func run<T: Sendable>(_ body: @escaping @Sendable (DirectoryClient) throws -> T) async throws -> T {
        let tag = language.withLockedValue { $0.rawValue }
        return try await DirectoryThreads.pool.runIfActive {
            try self.lock.withLock {
                guard let client = self.client else { throw ClosedError() }
                self.lastUsed = Date()
                client.requestControls = [LanguagePreferenceControl.control(tag: tag)]
                return try body(client)
            }
        }
    }

    /// Several searches in one round trip (`DirectoryClient.searchBatch`): each one's refusal is its result.
    public func searchBatch(_ searches: [BatchSearch]) async throws -> [Result<BatchSearchResult, LDAPOperationError>] {
        try await run { client in try client.searchBatch(searches) }
    }

    /// One search bounded by a size limit, not paged (the server answers it in one go):
    /// its first `limit` entries, and whether there were more.
    public func boundedSearch(_ search: BatchSearch) async throws -> BatchSearchResult {
        guard let result = try await searchBatch([search]).first else { throw LDAPOperationError(.other, "no answer to a search") }
        return try result.get()
    }

    /// The conventions read less than `maxAge` seconds ago, if any.
    func cachedConventions(maxAge: Double) -> [ConventionChoice.Convention]? {
        conventions.withLockedValue { cached in
            guard let cached, Date().timeIntervalSince(cached.readAt) < maxAge else { return nil }
            return cached.list
        }
    }

    func storeConventions(_ list: [ConventionChoice.Convention]) {
        conventions.withLockedValue { $0 = (list, Date()) }
    }

    /// Forgets them: the person's own writes (a form posted) may change what it sees.
    public func forgetConventions() {
        conventions.withLockedValue { $0 = nil }
    }

    /// The "Who am I?" operation (RFC 4532), allowed in every session (R6's too): sent by the
    /// sweeper on a connection unused for `seconds`, so that the server does not close, as idle,
    /// the connection of a session the person is still using page after page.
    public func keepAlive(ifUnusedFor seconds: Double) async {
        let due = lock.withLock { client != nil && Date().timeIntervalSince(lastUsed) >= seconds }
        guard due else { return }
        _ = try? await run { client in try client.extended(name: Self.whoAmIOID, value: nil) }
    }

    static let whoAmIOID = "1.3.6.1.4.1.4203.1.11.3"

    /// Unbinds and closes (logout, expiry); waits for a request in progress on it.
    public func close() {
        lock.withLock {
            client?.close()
            client = nil
        }
    }

    /// `close()` on the blocking pool, for callers on an event loop.
    public func closeInBackground() {
        DirectoryThreads.pool.submit { _ in self.close() }
    }

}
