import NIOConcurrencyHelpers

/// Asks the running `Reconciler` for a whole derivation at its next turn, instead of the due
/// run: after a failover to another provider (issue #19), writes acknowledged by the lost
/// provider may be missing or merged by replication, and only a full pass recomputes every
/// derived attribute (R1, R5) from the memberships the surviving provider holds.
public final class FullPassRequest: Sendable {
    private let pending = NIOLockedValueBox(false)

    public init() {}

    public func request() { pending.withLockedValue { $0 = true } }

    /// True once per request.
    func take() -> Bool {
        pending.withLockedValue { value in
            defer { value = false }
            return value
        }
    }
}
