import DirectoryBackend
import DirectoryServer
import Foundation
import Glibc
import Habilitations
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServerOperations

/// What an operator and a service manager see of one `annuaire serve` run:
/// readiness (`/readyz`: every listener up and slapd running, false while
/// slapd restarts), `READY=1` to systemd once every listener is up
/// (`Type=notify`), `STOPPING=1` at shutdown, and the status file that
/// `annuaire status` reads (listeners, last reconciliation).
final class ServeOperability: Sendable {
    private struct State {
        var listeners: [String] = []
        var ready = false
        var stopping = false
    }

    private let expectedListeners: Int
    private let slapd: EmbeddedSlapd?
    private let recorder: ServerStatusRecorder?
    private let notifier = SystemdNotifier()
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(expectedListeners: Int, slapd: EmbeddedSlapd?, status: ServerStatus, logger: Logger) {
        self.expectedListeners = expectedListeners
        self.slapd = slapd
        self.logger = logger
        recorder = slapd.map { ServerStatusRecorder(file: ServerStatus.file(in: $0.configuration.dataDirectory.root), initial: status) }
    }

    /// A listener is up (`ldap://…`, `ldaps://…`, `http://…`); the last one makes the server ready.
    func listening(_ url: String) {
        let nowReady = state.withLockedValue { state -> Bool in
            state.listeners.append(url)
            guard !state.ready, state.listeners.count >= expectedListeners else { return false }
            state.ready = true
            return true
        }
        let listeners = state.withLockedValue { $0.listeners }
        recorder?.update {
            $0.listeners = listeners
            if nowReady { $0.readyAt = Date() }
        }
        if nowReady {
            logger.info("ready", metadata: ["listeners": "\(listeners.joined(separator: " "))"])
            notifier.ready(status: "serving on \(listeners.joined(separator: " "))")
        }
    }

    /// `ldap://127.0.0.1:3389`, `ldap://[::1]:3389`.
    static func url(_ scheme: String, _ address: SocketAddress) -> String {
        let host = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "?"
        return "\(scheme)://\(host):\(address.port ?? 0)"
    }

    func reconciled(_ run: ReconcilerRun) {
        recorder?.update { $0.lastReconciliation = run }
    }

    /// The service group is shutting down.
    func stopping() {
        state.withLockedValue { $0.stopping = true }
        notifier.stopping()
    }

    /// The server has stopped: no status file is left claiming otherwise.
    func stopped() {
        recorder?.remove()
    }

    var health: HealthCheck {
        HealthCheck { [self] in
            let (ready, stopping) = state.withLockedValue { ($0.ready, $0.stopping) }
            if stopping { return "shutting down" }
            if !ready { return "starting: the listeners are not all up" }
            if let slapd, !(slapd.pid.map { kill($0, 0) == 0 } ?? false) { return "slapd is not running (being restarted)" }
            return nil
        }
    }
}
