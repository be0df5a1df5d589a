import Foundation

/// Runs blocking work (slapadd, waiting for a slapd to start or stop, a
/// child process) on a thread of its own, so that it never holds one of
/// Swift's cooperative threads: the test process runs dozens of servers at
/// once on them, and two blocked threads stall them all.
public enum OffPool {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
