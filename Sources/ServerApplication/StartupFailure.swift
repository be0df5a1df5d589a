/// Why `annuaire serve` (or `annuaire portal`) could not start: printed by the
/// argument parser as `Error: …` and the process exits with a failure status
/// (1), so that a supervisor (systemd, a container runtime, a script) sees the failure.
public struct StartupFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
