public import LibLDAP
import Foundation
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

    init(client: DirectoryClient, dn: String) {
        self.client = client
        self.dn = dn
    }

    /// Runs `body` with the bound client, off the event loops.
    public func run<T: Sendable>(_ body: @escaping @Sendable (DirectoryClient) throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive {
            try self.lock.withLock {
                guard let client = self.client else { throw ClosedError() }
                self.lastUsed = Date()
                return try body(client)
            }
        }
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
        NIOThreadPool.singleton.submit { _ in self.close() }
    }

}
