/// Why `annuaire serve` could not start: printed by the argument parser as
/// `Error: …` and the process exits with a failure status (1), so that a
/// supervisor (systemd, a container runtime, a script) sees the failure.
struct StartupFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
