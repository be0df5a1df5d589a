/// What `/healthz` and `/readyz` answer beside `/metrics` (the probe
/// conventions of Kubernetes and load balancers): liveness is the process
/// answering HTTP at all; readiness is whether it can serve LDAP now — its
/// listeners are up and its slapd is running (false while slapd restarts).
public struct HealthCheck: Sendable {
    /// Why the server is not ready, or nil when it is.
    public var notReadyReason: @Sendable () -> String?

    public init(notReadyReason: @escaping @Sendable () -> String?) {
        self.notReadyReason = notReadyReason
    }
}
