public import Logging
public import ServiceLifecycle

/// The reconciler (ARCHITECTURE.md, "materialised state"): what only time
/// changes — a membership whose open date arrives, a close date that passes
/// (R5, R7) — is brought into slapd at start and then every `interval`, a
/// bounded batch of conventions per run, idempotently.
public struct Reconciler: Service {
    let habilitations: HabilitationService
    let interval: Duration
    let batch: Int
    let logger: Logger

    public init(habilitations: HabilitationService, interval: Duration = .seconds(60), batch: Int = 50, logger: Logger) {
        self.habilitations = habilitations
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var cursor: String?
            while !Task.isCancelled {
                do {
                    let (changed, next) = try await habilitations.reconcile(after: cursor, limit: batch)
                    if changed > 0 { logger.info("reconciled materialised state", metadata: ["entries": "\(changed)"]) }
                    cursor = next
                } catch {
                    logger.error("reconciliation failed; will retry", metadata: ["error": "\(error)"])
                }
                if cursor == nil { try await Task.sleep(for: interval) }
            }
        }
    }
}
