import NIOPosix

/// Where the work that takes a thread for long runs: the rules' CPU
/// (loading a convention's entries, deriving its materialised state, R5/R7)
/// and disk writes that wait for fsync (the mail outbox, the Maildir, R6):
/// on NIO's blocking thread pool, never on an event loop (where
/// `annuaire serve` runs its tasks) nor on Swift's cooperative threads, so
/// that one large write or a slow disk does not hold up every connection.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
