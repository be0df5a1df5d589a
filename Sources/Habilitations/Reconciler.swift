public import Logging
public import ServiceLifecycle
public import Foundation

/// The reconciler (docs/architecture.md, "materialised state"): what only time
/// changes — a membership whose open date arrives, a close date that passes
/// (R5, R7) — is brought into slapd. At start, and then every
/// `fullPassInterval` as a safety net, a full pass derives every convention,
/// a bounded batch at a time; in between, every `interval`, only what has a
/// date since the previous run is derived (`reconcileDue`), so a run costs
/// what is due, not the size of the directory. Idempotent.
public struct Reconciler: Service {
    let habilitations: HabilitationService
    let interval: Duration
    let batch: Int
    let fullPassInterval: TimeInterval
    let logger: Logger
    /// Told of each completed full pass and each due run (`annuaire status` shows the last).
    let onRun: @Sendable (ReconcilerRun) -> Void
    /// With several front-ends (issue #19): runs only while this lease is held; a front-end that
    /// takes it over starts with a full pass (the previous holder may have stopped in one).
    let lease: ReconcilerLease?
    /// A full pass asked for from outside (after a failover to another provider).
    let fullPassRequest: FullPassRequest?

    public init(
        habilitations: HabilitationService, interval: Duration = .seconds(60), batch: Int = 50, fullPassInterval: TimeInterval = 24 * 3600,
        logger: Logger, lease: ReconcilerLease? = nil, fullPassRequest: FullPassRequest? = nil,
        onRun: @escaping @Sendable (ReconcilerRun) -> Void = { _ in }
    ) {
        self.habilitations = habilitations
        self.interval = interval
        self.batch = batch
        self.fullPassInterval = fullPassInterval
        self.logger = logger
        self.lease = lease
        self.fullPassRequest = fullPassRequest
        self.onRun = onRun
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var cursor: String?
            var fullPassStart: Date?  // when the current or last full pass began
            var lastFullPass: Date?  // when the last complete full pass began
            var dueSince: Date?
            var passChanged = 0  // entries changed by the current full pass so far
            var holding = false
            while !Task.isCancelled {
                if let lease {
                    let held: Bool
                    do {
                        held = try await lease.acquireOrRenew()
                    } catch {
                        logger.warning("could not read or renew the reconciler lease", metadata: ["error": "\(error)"])
                        held = false
                    }
                    if held != holding {
                        logger.notice(held ? "took the reconciler lease: this front-end reconciles" : "another front-end holds the reconciler lease")
                        holding = held
                        if held { lastFullPass = nil }  // a take-over starts with a whole derivation
                    }
                    if !held {
                        cursor = nil
                        try await Task.sleep(for: interval)
                        continue
                    }
                }
                if fullPassRequest?.take() == true, cursor == nil { lastFullPass = nil }
                let now = habilitations.clock.now
                let fullPass = cursor != nil || lastFullPass.map({ now.timeIntervalSince($0) >= fullPassInterval }) ?? true
                do {
                    if fullPass {
                        if cursor == nil { fullPassStart = now }
                        let (changed, next) = try await habilitations.reconcile(after: cursor, limit: batch)
                        if changed > 0 { logger.info("reconciled materialised state", metadata: ["entries": "\(changed)"]) }
                        cursor = next
                        passChanged += changed
                        if next == nil {
                            logger.info("whole derivation ended", metadata: ["entriesChanged": "\(passChanged)"])
                            onRun(ReconcilerRun(kind: .fullPass, finishedAt: habilitations.clock.now, changedEntries: passChanged))
                            passChanged = 0
                            // What falls due during a pass is caught by the next due run.
                            lastFullPass = fullPassStart
                            dueSince = dueSince ?? fullPassStart
                        }
                    } else if let since = dueSince {
                        let changed = try await habilitations.reconcileDue(since: since, until: now)
                        if changed > 0 { logger.info("reconciled what fell due", metadata: ["entries": "\(changed)"]) }
                        dueSince = now
                        onRun(ReconcilerRun(kind: .due, finishedAt: habilitations.clock.now, changedEntries: changed))
                    }
                } catch {
                    logger.error("reconciliation failed; will retry", metadata: ["error": "\(error)"])
                    onRun(ReconcilerRun(
                        kind: fullPass ? .fullPass : .due, finishedAt: habilitations.clock.now, changedEntries: 0,
                        error: "\(error)"))
                }
                if cursor == nil { try await Task.sleep(for: interval) }
            }
        }
    }
}
