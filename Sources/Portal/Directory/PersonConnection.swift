public import DirectoryBackend
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
                return try body(client)
            }
        }
    }

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

    public var isClosed: Bool { lock.withLock { client == nil } }
}
