/// A service of a running `annuaire serve` failed (a listener could not bind its
/// address, the portal or the metrics endpoint stopped on an error): the server
/// stopped everything it had started and the process exits with a failure
/// status (1), printed by the argument parser as `Error: …`, as systemd's
/// `Restart=on-failure` expects.
public struct ServiceFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ underlying: any Error) {
        description = "the server stopped because a service failed: \(underlying)"
    }
}
