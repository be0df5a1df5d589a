import CoreMetrics
import LDAPProtocol
import NIOConcurrencyHelpers
public import Prometheus

/// The server's metrics, in the Prometheus text exposition format (version
/// 0.0.4) through swift-metrics with the swift-prometheus backend, on a
/// registry of its own (no process-wide bootstrap, so several servers in one
/// process each count their own):
///
/// | metric | type | labels |
/// |---|---|---|
/// | `annuaire_operations_total` | counter | `operation` (bind, search, createUser…), `result` (the LDAP result code, RFC 4511 §4.1.9, or `none`/`abandoned`) |
/// | `annuaire_operation_duration_seconds` | histogram | `operation` |
/// | `annuaire_open_connections` | gauge | |
/// | `annuaire_connections_total` | counter | `outcome` (accepted, refused) |
/// | `annuaire_backend_up` | gauge | 1 when the store answers (the embedded slapd runs) |
/// | `annuaire_backend_restarts_total` | counter | slapd restarts after it died |
/// | `annuaire_write_conflicts_total` | counter | rule-checked writes prepared again because another front-end committed first (`ConcurrencyGuard`) |
public final class ServerMetrics: Sendable {
    /// What the backend looks like at scrape time.
    public struct BackendStatus: Sendable {
        public var up: Bool
        public var restarts: Int
        public init(up: Bool, restarts: Int) {
            self.up = up
            self.restarts = restarts
        }
    }

    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let openConnections: CoreMetrics.Meter
    private let backendUp: CoreMetrics.Gauge
    private let backendRestarts: CoreMetrics.Counter
    private let writeConflicts: CoreMetrics.Counter
    private struct Observed {
        var backend: (@Sendable () -> BackendStatus)?
        var restartsSeen = 0
        var conflicts: (@Sendable () -> Int)?
        var conflictsSeen = 0
    }
    private let state = NIOLockedValueBox(Observed())

    static let operations = "annuaire_operations_total"
    static let duration = "annuaire_operation_duration_seconds"

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.duration] = [
            .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000),
            .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
        openConnections = CoreMetrics.Meter(label: "annuaire_open_connections", factory: factory)
        backendUp = CoreMetrics.Gauge(label: "annuaire_backend_up", factory: factory)
        backendRestarts = CoreMetrics.Counter(label: "annuaire_backend_restarts_total", factory: factory)
        writeConflicts = CoreMetrics.Counter(label: "annuaire_write_conflicts_total", factory: factory)
        openConnections.set(0)
    }

    /// Tells the metrics how to read the backend's health (the embedded slapd's pid and restarts).
    public func observeBackend(_ status: @escaping @Sendable () -> BackendStatus) {
        state.withLockedValue { $0.backend = status }
    }

    /// Tells the metrics how to read the count of writes that lost a race (`HabilitationService.writeConflictsRetried`).
    public func observeWriteConflicts(_ count: @escaping @Sendable () -> Int) {
        state.withLockedValue { $0.conflicts = count }
    }

    func operationCompleted(_ kind: String, code: LDAPResultCode?, abandoned: Bool, duration: Duration) {
        let result = code.map { "\($0.rawValue)" } ?? (abandoned ? "abandoned" : "none")
        CoreMetrics.Counter(label: Self.operations, dimensions: [("operation", kind), ("result", result)], factory: factory).increment()
        CoreMetrics.Timer(label: Self.duration, dimensions: [("operation", kind)], factory: factory).recordNanoseconds(duration.totalNanoseconds)
    }

    func connectionOpened() {
        openConnections.increment()
        connections("accepted")
    }

    func connectionClosed() { openConnections.decrement() }

    func connectionRefused() { connections("refused") }

    private func connections(_ outcome: String) {
        CoreMetrics.Counter(label: "annuaire_connections_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// The exposition, with the backend's health read now.
    public func exposition() -> String {
        let observed = state.withLockedValue { $0 }
        if let status = observed.backend?() {
            backendUp.record(status.up ? 1 : 0)
            if status.restarts > observed.restartsSeen {
                backendRestarts.increment(by: Int64(status.restarts - observed.restartsSeen))
                state.withLockedValue { $0.restartsSeen = max($0.restartsSeen, status.restarts) }
            }
        }
        if let conflicts = observed.conflicts?(), conflicts > observed.conflictsSeen {
            writeConflicts.increment(by: Int64(conflicts - observed.conflictsSeen))
            state.withLockedValue { $0.conflictsSeen = max($0.conflictsSeen, conflicts) }
        }
        return registry.emitToString()
    }
}

extension Duration {
    var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
