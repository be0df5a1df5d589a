import NIOConcurrencyHelpers

/// What a session's operations share beyond the identity: whether it was
/// opened with a temporary password (R6), in which case it may do nothing
/// but change that password.
public final class SessionState: Sendable {
    private let mustChange = NIOLockedValueBox(false)
    public init() {}
    public var mustChangePassword: Bool {
        get { mustChange.withLockedValue { $0 } }
        set { mustChange.withLockedValue { $0 = newValue } }
    }
}
