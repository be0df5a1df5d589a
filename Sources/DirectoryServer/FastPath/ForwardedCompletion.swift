import NIOCore

/// The session task's side of one operation forwarded on an upstream link (issue #18): the
/// continuation it waits on, taken on the loop, and the deadline that gives up on slapd. It is
/// resumed exactly once — by the answer, by a failure, or by a cancellation (RFC 4511 §4.11)
/// that came before or after the continuation was taken. Confined to the link's event loop.
final class ForwardedCompletion<Value: Sendable> {
    private var continuation: CheckedContinuation<Value, any Error>?
    private var deadline: Scheduled<Void>?
    private(set) var isFinished = false

    /// Takes the continuation; false (and the continuation resumed with a cancellation) if the
    /// operation already ended.
    func start(_ continuation: CheckedContinuation<Value, any Error>, deadline: Scheduled<Void>?) -> Bool {
        if isFinished {
            deadline?.cancel()
            continuation.resume(throwing: CancellationError())
            return false
        }
        self.continuation = continuation
        self.deadline = deadline
        return true
    }

    /// Ends the operation once: later calls do nothing.
    func finish(_ outcome: Result<Value, any Error>) {
        guard !isFinished else { return }
        isFinished = true
        deadline?.cancel()
        deadline = nil
        let continuation = self.continuation
        self.continuation = nil
        continuation?.resume(with: outcome)
    }
}
