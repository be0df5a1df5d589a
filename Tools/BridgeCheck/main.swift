import DirectoryBackend
import Foundation
import Glibc
import Habilitations
import LDAPProtocol
import Logging
import NIOConcurrencyHelpers

// annuaire-bridge-check: drives the libldap bridge (LDAPConnection through
// OpenLDAPStore, CLDAPMemory) against a real embedded slapd, for valgrind:
//   valgrind --leak-check=full --errors-for-leak-kinds=definite .build/debug/annuaire-bridge-check 50
// Searches (entries, referrals absent, size limit, bad filter, missing base),
// binds (right, wrong, unknown), add/modify/delete with controls (post-read,
// increment), compare, extended operations, transactions committed and
// aborted, and slapd killed once so broken handles are dropped and reopened.

struct CheckFailure: Error, CustomStringConvertible {
    var description: String
}

func expect(_ condition: Bool, _ what: String) throws {
    if !condition { throw CheckFailure(description: "check failed: \(what)") }
}

/// The whole check; the exit status.
func run() async throws -> Int32 {
    let rounds = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 20
    var logger = Logger(label: "annuaire.bridge-check")
    logger.logLevel = .warning
    var template = Array("/tmp/annbridge.XXXXXX".utf8CString)
    let folder = template.withUnsafeMutableBufferPointer { buffer -> String? in
        guard let base = buffer.baseAddress, let path = mkdtemp(base) else { return nil }
        return String(cString: path)
    }
    guard let folder else { fatalError("mkdtemp failed") }
    let layout = DirectoryLayout()
    let resources = try ProjectResources.locate()
    let slapd = try EmbeddedSlapd(
        configuration: .init(dataDirectory: DataDirectory(path: folder), suffix: layout.suffix, resources: resources), logger: logger)
    try slapd.start()
    let store = OpenLDAPStore(configuration: .init(endpoint: slapd.endpoint, dataConnections: 2, bindConnections: 1))
    var failure: (any Error)?
    do {
        _ = try await DemoDirectory.load(into: store, resources: resources, layout: layout)
        let people = SearchQuery(base: layout.people, scope: .singleLevel, filter: "(objectClass=inetOrgPerson)", attributes: ["*", "+"])
        let scratch = "ou=scratch,\(layout.suffix)"
        for round in 0..<rounds {
            try expect(try await store.searchAll(people).count == 7, "seven people")
            let (limited, _) = try await store.search(
                SearchQuery(base: layout.people, scope: .singleLevel, sizeLimit: 2), controls: [], on: nil) { _ in }
            try expect(limited.code == .sizeLimitExceeded, "size limit")
            do {
                _ = try await store.searchAll(SearchQuery(base: layout.people, scope: .singleLevel, filter: "(((broken"))
                try expect(false, "a bad filter is refused")
            } catch let error as LDAPOperationError {
                try expect(error.code == .protocolError, "bad filter code")
            }
            try expect(try await store.read("ou=nowhere,\(layout.suffix)") == nil, "missing entry")
            let dn = layout.user("XXX0606XX06")
            try expect(try await store.bind(dn: dn, password: Array(DemoDirectory.password.utf8), controls: []).result.code == .success, "bind")
            let ppolicy = LDAPControl(oid: PasswordPolicyControl.oid, criticality: false, value: nil)
            try expect(try await store.bind(dn: dn, password: Array("wrong".utf8), controls: [ppolicy]).result.code == .invalidCredentials, "wrong password")
            try await store.add(dn: scratch, attributes: [
                PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: ["scratch"]),
            ], controls: [])
            let postRead = LDAPControl(oid: "1.3.6.1.1.13.2", criticality: true, value: ReadEntryRequest.value(attributes: ["description"]))
            let modified = try await store.modify(
                dn: scratch, changes: [.init(operation: .replace, modification: PartialAttribute(type: "description", strings: ["round \(round)"]))],
                controls: [postRead])
            try expect(!modified.controls.isEmpty, "post-read control")
            let compared = try await store.compare(dn: scratch, attribute: "description", value: Array("round \(round)".utf8), controls: [])
            try expect(compared.result.code == .compareTrue, "compare")
            let whoAmI = try await store.extended(name: "1.3.6.1.4.1.4203.1.11.3", value: nil, controls: [])
            try expect(whoAmI.result.code == .success && whoAmI.value != nil, "who am I")
            try await store.delete(dn: scratch, controls: [])
            do {
                try await store.transaction { writer in
                    try writer.add(dn: scratch, attributes: [
                        PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: ["scratch"]),
                    ])
                    try writer.add(dn: "ou=second,\(layout.suffix)", attributes: [PartialAttribute(type: "ou", strings: ["second"])])
                }
                try expect(false, "an invalid transaction fails")
            } catch is LDAPOperationError {}
            try expect(try await store.read(scratch) == nil, "aborted transaction")
            try await store.transaction { writer in
                try writer.add(dn: scratch, attributes: [
                    PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: ["scratch"]),
                ])
                try writer.modify(dn: scratch, changes: [.init(operation: .add, modification: PartialAttribute(type: "description", strings: ["txn"]))])
            }
            try await store.delete(dn: scratch, controls: [])
            FileHandle.standardError.write(Data("round \(round + 1) of \(rounds) done\n".utf8))
        if round == rounds / 2, let pid = slapd.pid {
                kill(pid, SIGKILL)
                for _ in 0..<200 where slapd.restartCount == 0 { try await Task.sleep(for: .milliseconds(50)) }
                do { _ = try await store.searchAll(people) } catch {}  // may meet a dead handle: that is the path checked
            }
        }
        print("bridge check: \(rounds) rounds, slapd restarts \(slapd.restartCount)")
    } catch {
        failure = error
    }
    await store.shutdown()
    slapd.stop()
    try? FileManager.default.removeItem(atPath: folder)
    if let failure {
        print("bridge check failed: \(failure)")
        return 1
    }
    return 0
}

// The main thread waits on a semaphore rather than in dispatch_main's
// sigsuspend, where valgrind 3.19 crashes when a signal comes in.
let finished = DispatchSemaphore(value: 0)
let status = NIOLockedValueBox<Int32>(2)
Task.detached {
    do {
        let code = try await run()
        status.withLockedValue { $0 = code }
    } catch {
        print("bridge check failed: \(error)")
    }
    finished.signal()
}
finished.wait()
exit(status.withLockedValue { $0 })
