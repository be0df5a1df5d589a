import NIOConcurrencyHelpers

/// What a session's operations share beyond the identity: whether it was
/// opened with a temporary password (R6), in which case it may do nothing
/// but change that password, and whether one of its writes succeeded since
/// its rights were read (R8: a write may give or take rights, e.g. a subgroup
/// it now manages, so they are read again before its next operation).
public final class SessionState: Sendable {
    private let mustChange = NIOLockedValueBox(false)
    private let wrote = NIOLockedValueBox(false)
    public init() {}

    /// Records a successful write of the session's.
    public func recordWrite() { wrote.withLockedValue { $0 = true } }

    /// Whether the session wrote since the last call (and forgets it).
    public func takeWrite() -> Bool { wrote.withLockedValue { value in defer { value = false }; return value } }

    /// Whether the session wrote since the last `takeWrite`, without forgetting it.
    public var hasUnreadWrite: Bool { wrote.withLockedValue { $0 } }

    public var mustChangePassword: Bool {
        get { mustChange.withLockedValue { $0 } }
        set { mustChange.withLockedValue { $0 = newValue } }
    }
}
