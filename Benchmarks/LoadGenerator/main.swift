import Foundation
import Glibc

// annuaire-bench: the load generator of Benchmarks/README.md.
//
//   annuaire-bench generate --users N --out FILE [--ssha-hash HASH]
//       content LDIF for `slapadd -q -n1` (see Dataset)
//   annuaire-bench run --users N --annuaire ldap://127.0.0.1:P --slapd ldap://127.0.0.1:Q
//                      --slapd-ldapi ldapi://%2F...  [--annuaire-pid PID] [--slapd-pid PID]
//                      [--proxy ldap://127.0.0.1:R [--proxy-pid PID]]
//                      [--duration S] [--max-ops N] [--scenarios a,b,...] [--markdown FILE] [--label TEXT]
//       the scenarios against Annuaire, then against slapd directly, then (with --proxy) against
//       slapd's own proxy (back-ldap) in front of the same slapd, side by side

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func options(_ arguments: ArraySlice<String>) throws -> [String: String] {
    var result: [String: String] = [:]
    var iterator = arguments.makeIterator()
    while let key = iterator.next() {
        guard key.hasPrefix("--") else { throw BenchError("unexpected argument \(key)") }
        guard let value = iterator.next() else { throw BenchError("\(key) needs a value") }
        result[String(key.dropFirst(2))] = value
    }
    return result
}

func sshaHash(of password: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/slappasswd")
    process.arguments = ["-h", "{SSHA}", "-s", password]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError("slappasswd failed") }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

let allScenarios: [String: Scenario] = [
    "search1": Scenarios.uidSearch(connections: 1),
    "search16": Scenarios.uidSearch(connections: 16),
    "bind16": Scenarios.bindOpen(connections: 16, argon2: false),
    "connect4": Scenarios.connectBindUnbind(connections: 4),
    "paged4": Scenarios.pagedListing(connections: 4),
    "argon2": Scenarios.bindOpen(connections: 2, argon2: true),
    "membership1": Scenarios.membershipChange(connections: 1),
]
let defaultOrder = ["search1", "search16", "bind16", "connect4", "paged4", "argon2", "membership1"]

func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

func runCommand(_ o: [String: String]) throws {
    guard let usersText = o["users"], let users = Int(usersText) else { throw BenchError("--users N is required") }
    let dataset = Dataset(users: users)
    let duration = Double(o["duration"] ?? "5") ?? 5
    let maxOps = Int(o["max-ops"] ?? "") ?? Int.max
    let names = (o["scenarios"] ?? defaultOrder.joined(separator: ",")).split(separator: ",").map(String.init)
    var targets: [Target] = []
    if let url = o["annuaire"] {
        targets.append(Target(name: "Annuaire", dataURL: url, identity: .simple(dn: Dataset.operatorDN, password: Dataset.password),
                              bindURL: url, pid: o["annuaire-pid"].flatMap { Int32($0) }))
    }
    if let url = o["slapd"] ?? o["slapd-ldapi"] {
        targets.append(Target(name: "slapd", dataURL: o["slapd-ldapi"] ?? url, identity: o["slapd-ldapi"] != nil ? .saslExternal : .simple(dn: Dataset.operatorDN, password: Dataset.password),
                              bindURL: url, pid: o["slapd-pid"].flatMap { Int32($0) }))
    }
    if let url = o["proxy"] {
        // slapd's back-ldap in front of the same slapd: the same client identity and binds as Annuaire's side.
        targets.append(Target(name: "back-ldap", dataURL: url, identity: .simple(dn: Dataset.operatorDN, password: Dataset.password),
                              bindURL: url, pid: o["proxy-pid"].flatMap { Int32($0) }))
    }
    guard !targets.isEmpty else { throw BenchError("give --annuaire URL and/or --slapd URL") }
    for target in targets {
        say("# \(target.name): data ops on \(target.dataURL) as \(target.identity.description); user binds on \(target.bindURL)")
    }
    let label = o["label"] ?? "\(users) users"
    var lines: [String] = []
    // Ratios are to slapd direct (the second side) for every other side.
    let compared = targets.count >= 2 ? targets.indices.filter { $0 != 1 } : []
    let short = { (index: Int) -> String in targets[index].name == "Annuaire" ? "A" : targets[index].name == "back-ldap" ? "proxy" : targets[index].name }
    var header = "| \(label) |"
    for target in targets { header += " \(target.name) ops/s | p50 ms | p99 ms | p999 ms |" }
    for index in compared { header += " ops ratio \(short(index))/s |" }
    for index in compared { header += " p99 ratio \(short(index))/s |" }
    header += " loadavg |"
    lines.append(header)
    lines.append("|---|" + String(repeating: "--:|", count: 4 * targets.count + 2 * compared.count) + "---|")
    say(header)
    var failed = false
    for (n, name) in names.enumerated() {
        guard let scenario = allScenarios[name] else { throw BenchError("unknown scenario \(name); known: \(defaultOrder.joined(separator: ","))") }
        var measured: [Measurement] = []
        for target in targets {
            let m = run(scenario, on: target, dataset: dataset, duration: duration, maxOperations: maxOps, seed: UInt64(n + 1) * 1_000_003)
            if m.errors > 0 || m.operations == 0 {
                // The proxy is a point of comparison: what it cannot do (back-ldap loses slapd's
                // paged-results cookie between its upstream connections) is reported in its
                // columns, not a failure of the run; Annuaire's or slapd's errors are.
                if target.name != "back-ldap" { failed = true }
                FileHandle.standardError.write(Data("\(target.name) \(scenario.name): \(m.errors) errors, \(m.operations) ok; first: \(m.firstError ?? "-")\n".utf8))
            }
            measured.append(m)
        }
        var cells = ["\(scenario.name)"]
        for m in measured {
            cells += [f(m.opsPerSecond, m.opsPerSecond < 100 ? 1 : 0), f(m.percentile(50), 3), f(m.percentile(99), 3), f(m.percentile(99.9), 3)]
        }
        for index in compared {
            cells.append(f(measured[1].opsPerSecond > 0 ? measured[index].opsPerSecond / measured[1].opsPerSecond : 0))
        }
        for index in compared {
            cells.append(f(measured[1].percentile(99) > 0 ? measured[index].percentile(99) / measured[1].percentile(99) : 0))
        }
        cells.append(measured.map(\.loadAverage).joined(separator: " / "))
        let line = "| " + cells.joined(separator: " | ") + " |"
        lines.append(line)
        say(line)
    }
    var memoryLine = "memory after the scenarios (VmRSS / VmHWM MiB):"
    for target in targets {
        if let m = memory(of: target.pid) { memoryLine += " \(target.name) \(f(m.rss, 1)) / \(f(m.peak, 1));" }
    }
    say(memoryLine)
    lines.append("")
    lines.append(memoryLine)
    if let countText = o["open-connections"], let count = Int(countText), count > 0 {
        for target in targets {
            var open: [LDAPClient] = []
            var random = SplitMix(seed: 42)
            do {
                for _ in 0..<count {
                    let client = try LDAPClient(url: target.bindURL)
                    try Scenarios.check(try client.bindSimple(dn: Dataset.userDN(dataset.fastUser(&random)), password: Dataset.password), "bind")
                    open.append(client)
                }
                usleep(500_000)
                let line = "\(count) bound idle connections to \(target.name): VmRSS " + (memory(of: target.pid).map { f($0.rss, 1) + " MiB" } ?? "?")
                say(line)
                lines.append(line)
            } catch {
                FileHandle.standardError.write(Data("\(target.name): opening \(count) connections failed after \(open.count): \(error)\n".utf8))
                failed = true
            }
            for client in open { client.unbindAndClose(reset: true) }
            open.removeAll()
        }
    }
    if let path = o["markdown"] {
        let text = lines.joined(separator: "\n") + "\n\n"
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
    if failed { throw BenchError("some operations failed (see above)") }
}

do {
    let arguments = CommandLine.arguments
    guard arguments.count >= 2 else { throw BenchError("usage: annuaire-bench generate|run --option value ...") }
    let o = try options(arguments.dropFirst(2))
    switch arguments[1] {
    case "generate":
        guard let usersText = o["users"], let users = Int(usersText), let out = o["out"] else {
            throw BenchError("generate needs --users N --out FILE")
        }
        let hash = try o["ssha-hash"] ?? sshaHash(of: Dataset.password)
        let clock = ContinuousClock()
        let elapsed = try clock.measure { try Dataset(users: users).writeLDIF(to: out, sshaHash: hash) }
        say("wrote \(out): \(users) users, \(Dataset(users: users).conventions) conventions in \(elapsed)")
    case "run":
        try runCommand(o)
    default:
        throw BenchError("unknown command \(arguments[1])")
    }
} catch {
    FileHandle.standardError.write(Data("annuaire-bench: \(error)\n".utf8))
    exit(1)
}
