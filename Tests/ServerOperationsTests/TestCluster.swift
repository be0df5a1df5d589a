import AnnuaireTestSupport
import Foundation
import Glibc
import Testing

/// A cluster made by `Deploy/cluster.sh` (issue #19): two OpenLDAP providers in multi-provider
/// delta-syncrepl and two `annuaire serve --backend URI,URI` front-ends, the built executable,
/// started the way `make cluster` starts them. Front-end 2 gets the list reversed
/// (`REVERSED_FRONTENDS=2`): it writes to provider 2 while front-end 1 writes to provider 1, as
/// when a partition hides provider 1 from some front-ends.
final class TestCluster: Sendable {
    static let administrator = "XXX0606XX01"
    /// The demo accounts' password (README, "Demo accounts").
    static let demoPassword = "Annuaire-Demo-2026"
    static let suffix = "dc=annuaire,dc=local"

    let folder: String
    let executable: String
    let frontEndPort: Int
    let providerPort: Int

    @TaskLocal static var current: TestCluster?

    private init(folder: String, executable: String, frontEndPort: Int, providerPort: Int) {
        self.folder = folder
        self.executable = executable
        self.frontEndPort = frontEndPort
        self.providerPort = providerPort
    }

    /// The checkout (Deploy/cluster.sh and Schema/ are found from it).
    static var checkout: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

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

    static func start() async throws -> TestCluster {
        let executable = try #require(
            Self.executable,
            "the annuaire executable is not next to the test bundle: build it with `swift build --build-tests` before `swift test --skip-build`")
        // Not /tmp/ann.*: clean-test-leftovers kills slapds of that name whose parent is gone, and
        // these providers are daemons by design (their parent is the script, which exits).
        let folder = try TestDirectory.makeTemporaryFolder("ann-cluster")
        let cluster = TestCluster(
            folder: folder, executable: executable, frontEndPort: try freePorts(2), providerPort: try freePorts(2))
        let started = try await cluster.script(["start"])
        guard started.status == 0 else {
            _ = try? await cluster.script(["stop"])
            let logs = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            Issue.record("Deploy/cluster.sh start failed (\(started.status)): \(started.error)\n\(started.output)\nfiles: \(logs)")
            throw ClusterError("the cluster did not start")
        }
        return cluster
    }

    func stop() async {
        _ = try? await script(["stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs Deploy/cluster.sh with this cluster's settings, its output in a file read back.
    /// Spawned and reaped here with posix_spawn and waitpid rather than Foundation's Process:
    /// the daemons it leaves running (slapd detaches, the front-ends run in the background)
    /// kept a test waiting for ever on Process's end of the script.
    func script(_ arguments: [String]) async throws -> ScriptResult {
        let log = "\(folder)/script-\(UUID().uuidString).log"
        let script = Self.checkout.appendingPathComponent("Deploy/cluster.sh").path
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in [
            "WORK": folder, "BIN": URL(fileURLWithPath: executable).deletingLastPathComponent().path,
            "FRONTEND_PORT": "\(frontEndPort)", "PROVIDER_PORT": "\(providerPort)", "RECONCILE_INTERVAL": "2",
            "REVERSED_FRONTENDS": "2", "LDAPCONF": "/dev/null", "LDAPRC": "/dev/null",
        ] { environment[key] = value }
        let argv = [script] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
                var pid: pid_t = 0
                let cArgs = argv.map { strdup($0) } + [nil]
                let cEnv = envp.map { strdup($0) } + [nil]
                defer { (cArgs + cEnv).forEach { free($0) } }
                let spawned = posix_spawn(&pid, script, &actions, nil, cArgs, cEnv)
                guard spawned == 0 else {
                    continuation.resume(throwing: ClusterError("cannot run \(script): \(String(cString: strerror(spawned)))"))
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                continuation.resume(returning: (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: log)
        return ScriptResult(status: status, output: output)
    }

    func frontEnd(_ number: Int) -> String { "ldap://127.0.0.1:\(frontEndPort + number - 1)" }

    func ldapi(_ provider: Int) -> String {
        "ldapi://" + "\(folder)/p\(provider)/run/ldapi".replacingOccurrences(of: "/", with: "%2F")
    }

    /// The CLI as the partner administrator, through one front-end.
    func cli(_ arguments: [String], frontEnd: Int) async throws -> CommandResult {
        try await CommandLineTool.run(
            executable, arguments + ["-H", self.frontEnd(frontEnd), "-D", Self.administrator],
            environment: ["ANNUAIRE_PASSWORD": Self.demoPassword, "XDG_CONFIG_HOME": "\(folder)/cli", "LANG": "fr_FR.UTF-8"])
    }

    /// Entries on one provider, read as its administrator (SASL EXTERNAL over its socket).
    func entries(
        on provider: Int, base: String = TestCluster.suffix, scope: String = "sub", filter: String, attributes: [String]
    ) async throws -> [LDIFRecord] {
        let result = try await CommandLineTool.run(
            "ldapsearch", ["-Q", "-LLL", "-o", "ldif-wrap=no", "-Y", "EXTERNAL", "-H", ldapi(provider), "-s", scope, "-b", base, filter] + attributes)
        guard result.status == 0 || result.status == 32 else {
            throw ClusterError("ldapsearch on provider \(provider) failed (\(result.status)): \(result.error)")
        }
        return LDIFRecord.parse(result.output)
    }

    /// Waits until every provider holds the same `filter` entries (the attributes compared, with
    /// `entryCSN`) and returns them; nil if they still differ after `bound`.
    func converged(filter: String, attributes: [String], within bound: Duration = .seconds(30)) async throws -> [LDIFRecord]? {
        var last: [LDIFRecord] = []
        let same = try await eventually(within: bound, every: .milliseconds(200)) {
            let first = try await entries(on: 1, filter: filter, attributes: attributes + ["entryCSN"]).sorted { $0.dn < $1.dn }
            let second = try await entries(on: 2, filter: filter, attributes: attributes + ["entryCSN"]).sorted { $0.dn < $1.dn }
            last = first
            return first == second
        }
        return same ? last : nil
    }

    /// Waits until both providers hold the same `contextCSN` on the suffix: each has every change
    /// the other made, on every entry (not only those a filter names); false after `bound`.
    func wholeTreeConverged(within bound: Duration = .seconds(30)) async throws -> Bool {
        try await eventually(within: bound, every: .milliseconds(200)) {
            var states: [Set<String>] = []
            for provider in 1...2 {
                let suffix = try await entries(on: provider, scope: "base", filter: "(objectClass=*)", attributes: ["contextCSN"])
                states.append(Set(suffix.first?.attributes["contextcsn"] ?? []))
            }
            return !states[0].isEmpty && states[0] == states[1]
        }
    }

    /// `count` consecutive free TCP ports on loopback; returns the first.
    static func freePorts(_ count: Int) throws -> Int {
        for _ in 0..<50 {
            let first = Int.random(in: 20_000...59_000)
            if (0..<count).allSatisfy({ isFree(first + $0) }) { return first }
        }
        throw ClusterError("no free ports")
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// What Deploy/cluster.sh exited with and printed (standard output and error together).
struct ScriptResult: Sendable {
    var status: Int32
    var output: String
    var error: String { output }
}

struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One entry of `ldapsearch -LLL -o ldif-wrap=no` output.
struct LDIFRecord: Equatable, Sendable {
    var dn: String
    var attributes: [String: [String]]

    func first(_ name: String) -> String? { attributes[name.lowercased()]?.first }

    static func parse(_ text: String) -> [LDIFRecord] {
        var records: [LDIFRecord] = []
        var current: LDIFRecord?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if let current { records.append(current) }
                current = nil
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            var value = line[line.index(after: colon)...]
            var base64 = false
            if value.first == ":" {
                base64 = true
                value = value.dropFirst()
            }
            let text = value.drop(while: { $0 == " " })
            let decoded = base64 ? (Data(base64Encoded: String(text)).map { String(decoding: $0, as: UTF8.self) } ?? String(text)) : String(text)
            if name == "dn" {
                if let current { records.append(current) }
                current = LDIFRecord(dn: decoded, attributes: [:])
            } else {
                current?.attributes[name, default: []].append(decoded)
            }
        }
        if let current { records.append(current) }
        for index in records.indices {
            for key in records[index].attributes.keys { records[index].attributes[key]?.sort() }
        }
        return records
    }
}

/// Starts one cluster for the whole suite and stops it after its last test.
struct RunningCluster: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let cluster = try await TestCluster.start()
        do {
            try await TestCluster.$current.withValue(cluster) { try await function() }
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }
}

extension Trait where Self == RunningCluster {
    /// A cluster of two providers and two front-ends around the suite (`TestCluster.current`).
    static var runningCluster: Self { RunningCluster() }
}
