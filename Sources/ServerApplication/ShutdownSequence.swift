import NIOConcurrencyHelpers

/// What the application has started that must be stopped (the store's
/// connections, the embedded slapd), stopped in the reverse order of their start.
/// Run once: at the end of a run, or when a start fails half-way, for what had started.
final class ShutdownSequence: Sendable {
    private let steps = NIOLockedValueBox<[@Sendable () async -> Void]>([])

    /// `step` undoes what was just started.
    func add(_ step: @escaping @Sendable () async -> Void) {
        steps.withLockedValue { $0.append(step) }
    }

    /// Runs every step added, the last added first; a second call finds nothing to do.
    func run() async {
        let steps = self.steps.withLockedValue { steps in
            defer { steps = [] }
            return steps
        }
        for step in steps.reversed() { await step() }
    }
}
