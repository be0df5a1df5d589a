public import Portal

/// The partner web portal served beside the LDAP listeners (issue #17, `--portal-listen`):
/// an LDAP client of this very server over loopback, bound as each person who logs in.
public struct ApplicationPortal: Sendable {
    /// Where the portal listens.
    public var address: ListenAddress
    /// Plain HTTP instead of HTTPS (allowed on a loopback address only).
    public var plainHTTP: Bool
    /// Idle and absolute session lifetimes, sessions at most.
    public var sessions: SessionLimits

    public init(address: ListenAddress, plainHTTP: Bool = false, sessions: SessionLimits = SessionLimits()) {
        self.address = address
        self.plainHTTP = plainHTTP
        self.sessions = sessions
    }
}
