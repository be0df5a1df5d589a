import NIOPosix

/// Where the rules' CPU-heavy work runs (loading a convention's entries,
/// deriving its materialised state, R5/R7): on NIO's blocking thread pool,
/// never on an event loop (where `annuaire serve` runs its tasks) nor on
/// Swift's cooperative threads, so that one large convention's write does not
/// hold up every other connection.
enum RulesWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
