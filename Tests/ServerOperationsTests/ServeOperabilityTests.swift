import AnnuaireTestSupport
import Foundation
import Glibc
import ServerOperations
import Testing

/// Issue #20, items 2 and 5, on the built `annuaire` executable as systemd
/// would run it: settings from a configuration file and the environment,
/// `READY=1` once the listeners are up, `/healthz` and `/readyz` (false while
/// slapd restarts), JSON log lines, `annuaire status`, a refused downgrade,
/// and a wrong key or value named by its line or variable.
@Suite("serve: configuration file, readiness, health, JSON logs, status", .serialized)
struct ServeOperabilityTests {
    /// The `annuaire` executable built next to the test bundle, if any.
    static var executable: String? {
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("annuaire").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    static func http(_ url: String) async throws -> (status: Int, body: String) {
        let result = try await CommandLineTool.run("curl", ["-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "5", url])
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("serve from a configuration file under NOTIFY_SOCKET: READY=1, /healthz, /readyz through a slapd restart, JSON logs, status while running and stopped", .enabled(if: ServeOperabilityTests.executable != nil), .timeLimit(.minutes(3)))
    func serveAsAService() async throws {
        let executable = try #require(Self.executable)
        let work = try TestDirectory.makeTemporaryFolder("ops")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let data = work + "/data"
        let log = work + "/serve.log"
        let config = work + "/annuaire.conf"
        try """
            # as /etc/annuaire/annuaire.conf would be
            listen = 127.0.0.1:0
            ldaps = none
            data-dir = \(data)
            metrics-listen = 127.0.0.1:0
            log-format = json
            demo = true
            argon2 = m=1024,t=1,p=1

            """.write(toFile: config, atomically: true, encoding: .utf8)
        let notify = try SystemdNotifierTests.NotifySocket()
        let (process, line) = try await BackgroundProcess.start(
            "sh", ["-c", "exec env NOTIFY_SOCKET=\"$1\" ANNUAIRE_RECONCILE_INTERVAL=1 \"$0\" serve --config \"$2\" 2>>\"$3\"", executable, notify.path, config, log],
            readyPrefix: "Annuaire is listening on", timeoutSeconds: 60)
        var serverPID: Int32 = 0
        do {
            #expect(line.contains("ldap://127.0.0.1:"))
            let ready = try await OffPool.run { notify.receive() }
            #expect(ready?.split(separator: "\n").contains("READY=1") == true, "\(ready ?? "nothing")")

            let status = try #require(ServerStatus.read(from: ServerStatus.file(in: URL(fileURLWithPath: data))))
            serverPID = status.pid
            #expect(status.readyAt != nil)
            let metrics = try #require(status.listeners.first { $0.hasPrefix("http://") })
            let base = String(metrics.dropLast("/metrics".count))
            #expect(try await Self.http(base + "/healthz").status == 200)
            let readyz = try await Self.http(base + "/readyz")
            #expect(readyz.status == 200 && readyz.body == "ready", "\(readyz)")

            // The reconciler's first full pass is recorded (ANNUAIRE_RECONCILE_INTERVAL=1 from the environment).
            var report = StatusReport.inspect(dataDirectory: data)
            for _ in 0..<100 where report.lastReconciliation == nil {
                try await Task.sleep(for: .milliseconds(100))
                report = StatusReport.inspect(dataDirectory: data)
            }
            #expect(report.state == .running)
            #expect(report.serverPID == status.pid)
            #expect(report.lastReconciliation?.error == nil && report.lastReconciliation != nil)
            #expect(report.dataBytes > 100_000)
            let statusCommand = try await CommandLineTool.run(executable, ["status", "--config", config])
            #expect(statusCommand.status == 0, "\(statusCommand.error)")
            #expect(statusCommand.output.contains("en marche"))
            #expect(statusCommand.output.contains("pid \(status.pid)"))
            #expect(statusCommand.output.contains("Réconciliation"))

            // slapd killed: /readyz says so until it is back, /healthz stays up.
            let slapdPID = try #require(report.slapdPID)
            kill(slapdPID, SIGKILL)
            var sawNotReady = false
            var backReady = false
            for _ in 0..<400 {
                let answer = try await Self.http(base + "/readyz")
                if answer.status == 503 {
                    sawNotReady = true
                    #expect(answer.body.contains("slapd"))
                } else if answer.status == 200 && sawNotReady {
                    backReady = true
                    break
                }
            }
            #expect(sawNotReady, "/readyz must be 503 while slapd restarts")
            #expect(backReady)
            #expect(try await Self.http(base + "/healthz").status == 200)

            kill(status.pid, SIGTERM)
            await process.stop()
        } catch {
            if serverPID > 0 { kill(serverPID, SIGTERM) }
            await process.stop()
            throw error
        }
        let stopped = try await CommandLineTool.run(executable, ["status", "--data-dir", data, "--format", "json"])
        #expect(stopped.status == 3)
        let stoppedReport = try JSONSerialization.jsonObject(with: Data(stopped.output.utf8)) as? [String: Any]
        #expect(stoppedReport?["state"] as? String == "stopped", "\(stopped.output)")
        #expect(!FileManager.default.fileExists(atPath: ServerStatus.file(in: URL(fileURLWithPath: data)).path))

        // Every log line is a JSON object with the fixed keys.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 3)
        var messages: [String] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["time"] is String && object?["logger"] is String, "\(line)")
            if let message = object?["message"] as? String { messages.append(message) }
        }
        #expect(messages.contains("ready"))
        #expect(messages.contains("slapd exited unexpectedly; restarting it"))

        // The folder now says which version used it: a newer one's folder is refused.
        #expect(DataFolderVersion.recorded(in: URL(fileURLWithPath: data)) != nil)
        try DataFolderVersion.record("99.0.0", in: URL(fileURLWithPath: data))
        let downgrade = try await CommandLineTool.run(executable, ["serve", "--config", config])
        #expect(downgrade.status == 1)
        #expect(downgrade.error.contains("last used by Annuaire 99.0.0"), "\(downgrade.error)")
    }

    @Test("a wrong key stops the start with the file's line; a wrong value names its line or its variable", .enabled(if: ServeOperabilityTests.executable != nil))
    func wrongSettings() async throws {
        let executable = try #require(Self.executable)
        let work = try TestDirectory.makeTemporaryFolder("cfg")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let config = work + "/annuaire.conf"
        try "data-dir = \(work)/data\nlisen = 127.0.0.1:1389\n".write(toFile: config, atomically: true, encoding: .utf8)
        let key = try await CommandLineTool.run(executable, ["serve", "--config", config])
        #expect(key.status == 78)
        #expect(key.error.contains("\(config):2: unknown key 'lisen' (did you mean 'listen'?)"), "\(key.error)")

        try "data-dir = \(work)/data\nmax-connections = beaucoup\n".write(toFile: config, atomically: true, encoding: .utf8)
        let value = try await CommandLineTool.run(executable, ["serve", "--config", config])
        #expect(value.status != 0)
        #expect(value.error.contains("\(config):2"), "\(value.error)")
        #expect(value.error.contains("beaucoup"))

        let environment = try await CommandLineTool.run(
            executable, ["serve", "--data-dir", work + "/data"], environment: ["ANNUAIRE_LISTEN": "nowhere"])
        #expect(environment.status != 0)
        #expect(environment.error.contains("ANNUAIRE_LISTEN"), "\(environment.error)")
        #expect(!FileManager.default.fileExists(atPath: work + "/data/config"), "nothing started")
    }
}
