import AnnuaireTestSupport
import DirectoryServer
import Foundation
import Glibc
import Habilitations
import LDAPProtocol
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing

/// Issue #9, operability: the Prometheus endpoint (`--metrics-listen`)
/// scraped with a plain HTTP GET (curl): operations by type and result code,
/// latency histograms, open connections, the embedded slapd's health and
/// restarts, all moving with what the test does.
@Suite("Metrics endpoint", .serialized)
struct MetricsEndpointTests {
    /// The value of one sample line (`name{labels} value`), or nil.
    static func sample(_ exposition: String, _ name: String, labels: [String: String] = [:]) -> Double? {
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let value = line[line.index(after: space)...]
            let seriesName = series.prefix { $0 != "{" }
            guard seriesName == name else { continue }
            let labelText = series.dropFirst(seriesName.count)
            let matches = labels.allSatisfy { labelText.contains("\($0.key)=\"\($0.value)\"") }
            if matches, let number = Double(value) { return number }
        }
        return nil
    }

    static func scrape(_ port: Int, path: String = "/metrics") async throws -> (status: Int32, body: String) {
        let result = try await CommandLineTool.run("curl", ["-s", "-S", "-o", "-", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"])
        guard result.status == 0 else { throw EmbeddedSlapdTestError("curl failed: \(result.error)") }
        let code = Int32(result.output.split(separator: "\n").last ?? "") ?? 0
        return (code, String(result.output.dropLast(result.output.split(separator: "\n").last?.count ?? 0)))
    }

    @Test("GET /metrics: operation counters by type and result code, latency histogram, open connections, slapd up and its restarts move with the traffic and a SIGKILL")
    func countersMove() async throws {
        let metrics = ServerMetrics()
        try await TestServer.with(configure: { $0.metrics = metrics }) { server in
            let slapd = server.directory.slapd
            metrics.observeBackend {
                ServerMetrics.BackendStatus(up: slapd.pid.map { kill($0, 0) == 0 } ?? false, restarts: slapd.restartCount)
            }
            let ports = AsyncStream<Int>.makeStream()
            let endpoint = MetricsEndpoint(metrics: metrics, host: "127.0.0.1", port: 0, logger: TestDirectory.logger) { address in
                ports.continuation.yield(address.port ?? 0)
                ports.continuation.finish()
            }
            let group = ServiceGroup(services: [endpoint], logger: TestDirectory.logger)
            let running = Task { try await group.run() }
            defer { running.cancel() }
            var port = 0
            for await value in ports.stream { port = value }
            try #require(port > 0)

            let before = try await Self.scrape(port)
            #expect(before.status == 200)
            #expect(Self.sample(before.body, "annuaire_backend_up") == 1)
            let binds = Self.sample(before.body, "annuaire_operations_total", labels: ["operation": "bind", "result": "0"]) ?? 0
            let refused = Self.sample(before.body, "annuaire_operations_total", labels: ["operation": "bind", "result": "49"]) ?? 0

            let layout = server.directory.layout
            let good = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", DemoDirectory.password])
            #expect(good.status == 0)
            let bad = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", "not-the-password"])
            #expect(bad.status == 49)
            let held = try RawLDAPClient(port: server.port)
            #expect(try await FaultsUnderWriteLoadTests.bind(held, layout.user(DemoDirectory.administratorIdentifier)) == 0)

            // The two ldapwhoami sessions end on the server a moment after the tools exit: wait for it (bounded).
            var during = try await Self.scrape(port)
            try await eventually {
                during = try await Self.scrape(port)
                return Self.sample(during.body, "annuaire_open_connections") == 1
                    && Self.sample(during.body, "annuaire_operations_total", labels: ["operation": "unbind", "result": "none"]) == 2
            }
            #expect(Self.sample(during.body, "annuaire_operations_total", labels: ["operation": "bind", "result": "0"]) == binds + 2)
            #expect(Self.sample(during.body, "annuaire_operations_total", labels: ["operation": "bind", "result": "49"]) == refused + 1)
            #expect(Self.sample(during.body, "annuaire_operations_total", labels: ["operation": "whoAmI", "result": "0"]) == 1)
            #expect(Self.sample(during.body, "annuaire_operations_total", labels: ["operation": "unbind", "result": "none"]) == 2)
            #expect(Self.sample(during.body, "annuaire_open_connections") == 1)
            #expect(Self.sample(during.body, "annuaire_connections_total", labels: ["outcome": "accepted"]) == 3)
            #expect(Self.sample(during.body, "annuaire_operation_duration_seconds_count", labels: ["operation": "bind"]) == binds + refused + 3)
            #expect(Self.sample(during.body, "annuaire_operation_duration_seconds_bucket", labels: ["operation": "bind", "le": "+Inf"]) == binds + refused + 3)
            #expect(during.body.contains("# TYPE annuaire_operation_duration_seconds histogram"))

            let pid = try #require(slapd.pid)
            kill(pid, SIGKILL)
            try await eventually { slapd.restartCount >= 1 && slapd.pid != nil && slapd.pid != pid }
            let after = try await Self.scrape(port)
            #expect(Self.sample(after.body, "annuaire_backend_restarts_total") == 1)
            #expect(Self.sample(after.body, "annuaire_backend_up") == 1)

            let missing = try await Self.scrape(port, path: "/other")
            #expect(missing.status == 404)
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
