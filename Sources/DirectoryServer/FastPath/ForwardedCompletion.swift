import NIOCore

/// The waiting side of one operation forwarded on an upstream link (issue #18): either the
/// session task's continuation, or, for a search answered on the event loop
/// (`InlineRequestHandler`), a callback. It is called exactly once — by the answer, by a
/// failure, or by a cancellation (RFC 4511 §4.11) that came before or after the waiter was
/// given. Confined to the link's event loop.
final class ForwardedCompletion<Value: Sendable> {
    private var waiter: ((Result<Value, any Error>) -> Void)?
    private(set) var isFinished = false

    /// Gives the callback; false (and the callback called with a cancellation) if the operation already ended.
    func start(_ callback: @escaping (Result<Value, any Error>) -> Void) -> Bool {
        if isFinished {
            callback(.failure(CancellationError()))
            return false
        }
        waiter = callback
        return true
    }

    /// Gives the session task's continuation.
    func start(_ continuation: CheckedContinuation<Value, any Error>) -> Bool {
        start { continuation.resume(with: $0) }
    }

    /// Ends the operation once: later calls do nothing.
    func finish(_ outcome: Result<Value, any Error>) {
        guard !isFinished else { return }
        isFinished = true
        let waiter = self.waiter
        self.waiter = nil
        waiter?(outcome)
    }
}
