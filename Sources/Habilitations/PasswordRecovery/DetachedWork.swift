import NIOConcurrencyHelpers

/// Work started after the answer was sent, so that the answer's timing says
/// nothing about the work (the forgot-password request answers before it
/// looks the identifier up). At most `limit` pieces run at once; beyond, a
/// piece is dropped (and counted) rather than queued without bound.
public final class DetachedWork: Sendable {
    public let limit: Int
    private let state = NIOLockedValueBox<(running: Int, dropped: Int)>((0, 0))

    public init(limit: Int) {
        self.limit = limit
    }

    /// Starts `body` in a detached task unless `limit` pieces are running; returns whether it started.
    @discardableResult
    public func start(_ body: @escaping @Sendable () async -> Void) -> Bool {
        let admitted = state.withLockedValue { state -> Bool in
            guard state.running < limit else {
                state.dropped += 1
                return false
            }
            state.running += 1
            return true
        }
        guard admitted else { return false }
        Task.detached {
            await body()
            self.state.withLockedValue { $0.running -= 1 }
        }
        return true
    }

    /// Pieces running now.
    public var running: Int { state.withLockedValue { $0.running } }
    /// Pieces dropped since the start because `limit` were running.
    public var dropped: Int { state.withLockedValue { $0.dropped } }
}
