import AnnuaireTestSupport
@testable import DirectoryBackend
import Foundation
import LDAPProtocol
import Testing

/// How a transaction ends without slapd 2.5.13's race (`TransactionSettling`): the barrier, a
/// Modify of cn=config slapd answers only after pausing its workers.
@Suite("The transaction barrier (slapd's pause instead of a fixed 20 ms)", .serialized)
struct TransactionBarrierTests {
    private func addUnit(_ name: String, in store: any DirectoryStore, suffix: String) async throws {
        try await store.transaction { writer in
            try writer.add(dn: "ou=\(name),\(suffix)", attributes: [
                PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]),
                PartialAttribute(type: "ou", strings: [name]),
            ])
            try writer.modify(dn: "ou=\(name),\(suffix)", changes: [
                ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: "description", strings: [name]))
            ])
        }
    }

    private func configStamp(_ directory: TestDirectory) async throws -> [String] {
        let entry = try #require(try await directory.store.read("cn=config", attributes: ["olcReferral", "modifyTimestamp", "entryCSN"]))
        return ["olcReferral", "modifyTimestamp", "entryCSN"].map { attribute in
            entry.values(of: attribute).map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",")
        }
    }

    @Test("the client identity's and the service identity's transactions end on the barrier; slapd answers it noSuchAttribute (16) and cn=config is left as it was")
    func barrierHeld() async throws {
        try await TestDirectory.with(demo: false) { directory in
            let before = try await configStamp(directory)
            #expect(before.first == "", "cn=config holds no referral")
            let clients = try #require(directory.store.forClients() as? OpenLDAPStore)
            #expect(clients.settling.way == .untried)
            try await addUnit("barrier-client", in: clients, suffix: directory.layout.suffix)
            #expect(clients.settling.way == .barrier)
            try await addUnit("barrier-service", in: directory.store, suffix: directory.layout.suffix)
            #expect(directory.store.settling.way == .barrier)
            let written = try #require(try await directory.store.read("ou=barrier-client,\(directory.layout.suffix)", attributes: ["description"]))
            #expect(written.values(of: "description") == [Array("barrier-client".utf8)])
            #expect(try await configStamp(directory) == before, "the barrier changes nothing in cn=config")
            // The client identity can do nothing else there: not add the barrier's value, not read cn=config.
            await #expect(throws: LDAPOperationError.self) {
                try await clients.modify(dn: TransactionSettling.barrierDN, changes: [
                    ModifyRequest.Change(operation: .add, modification: TransactionSettling.barrierChange.modification)
                ], controls: [])
            }
            #expect(try await clients.read("cn=config", attributes: ["olcReferral"]) == nil)
        }
    }

    @Test("searches of more than 64 entries never end busy (51) while transactions end on barriers: the barrier waits for them, they wait for it (SearchBarrierGate)")
    func searchesAndBarriers() async throws {
        try await TestDirectory.with(demo: false) { directory in
            let suffix = directory.layout.suffix
            let clients = try #require(directory.store.forClients() as? OpenLDAPStore)
            let many = try await clients.addManyUnits(300, under: suffix)
            let query = SearchQuery(base: many, scope: .wholeSubtree, filter: "(objectClass=organizationalUnit)", attributes: ["ou"])
            let barriersBefore = clients.settling.barriersAnswered
            let deadline = ContinuousClock.now + .seconds(6)
            async let listings: [Int] = {
                var counts: [Int] = []
                while ContinuousClock.now < deadline { counts.append(try await clients.searchAll(query).count) }
                return counts
            }()
            async let writes: Int = {
                var count = 0
                while ContinuousClock.now < deadline {
                    try await addUnit("w\(count)", in: clients, suffix: suffix)
                    count += 1
                }
                return count
            }()
            let (counts, written) = try await (listings, writes)
            #expect(!counts.isEmpty && counts.allSatisfy { $0 == 301 }, "every listing is whole")
            #expect(written > 0)
            #expect(clients.settling.barriersAnswered > barriersBefore, "some transactions ended on a barrier meanwhile")
            #expect(clients.gate.searchesInProgress == 0)
            // With nothing else in progress, the next transaction ends on the barrier.
            try await addUnit("idle", in: clients, suffix: suffix)
            #expect(clients.settling.way == .barrier)
        }
    }

    @Test("a slapd that consumes a replica (a database with olcSyncrepl) keeps the fixed pause: the barrier would wait for syncrepl's worker, up to its timeout")
    func replicatedKeepsThePause() async throws {
        try await TestDirectory.with(demo: false) { directory in
            let replica = directory.dataDirectory.root.appendingPathComponent("replica")
            try FileManager.default.createDirectory(at: replica, withIntermediateDirectories: true)
            _ = try await directory.store.add(dn: "olcDatabase=mdb,cn=config", attributes: [
                PartialAttribute(type: "objectClass", strings: ["olcDatabaseConfig", "olcMdbConfig"]),
                PartialAttribute(type: "olcDatabase", strings: ["mdb"]),
                PartialAttribute(type: "olcSuffix", strings: ["dc=replica,dc=test"]),
                PartialAttribute(type: "olcDbDirectory", strings: [replica.path]),
                PartialAttribute(type: "olcDbMaxSize", strings: ["10485760"]),
                PartialAttribute(type: "olcRootDN", strings: ["cn=replicator,dc=replica,dc=test"]),
                // A provider that is not there (the discard port): the consumer fails and waits an hour.
                PartialAttribute(type: "olcSyncrepl", strings: [
                    "rid=901 provider=ldap://127.0.0.1:9 bindmethod=simple searchbase=\"dc=replica,dc=test\" type=refreshOnly interval=00:01:00:00 retry=\"3600 +\" timeout=1 network-timeout=1"
                ]),
            ], controls: [])
            let clients = try #require(directory.store.forClients() as? OpenLDAPStore)
            try await addUnit("replicated", in: clients, suffix: directory.layout.suffix)
            #expect(clients.settling.way == .replicated)
            #expect(try await directory.store.read("ou=replicated,\(directory.layout.suffix)") != nil)
        }
    }

    @Test("a data folder made before the barrier: the client identity's transactions fall back to the fixed pause (slapd refuses the barrier), and the next start grants it")
    func barrierUpgrade() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        let older = try EditedResources()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            older.remove()
        }
        try older.edit(older.resources.configTemplate) { template in
            let line = try #require(template.split(separator: "\n", omittingEmptySubsequences: false)
                .first(where: { $0.contains("annuaire-transaction-barrier") && $0.hasPrefix("olcAccess:") }))
            return template.replacingOccurrences(of: line + "\n", with: "")
                .replacingOccurrences(of: "olcAccess: {1}to * by dn.exact=", with: "olcAccess: {0}to * by dn.exact=")
        }
        let first = try await TestDirectory.start(demo: false, path: folder, resources: older.resources)
        let oldClients = try #require(first.store.forClients() as? OpenLDAPStore)
        try await addUnit("before-upgrade", in: oldClients, suffix: first.layout.suffix)
        guard case .refused(let code) = oldClients.settling.way else {
            Issue.record("without the grant the barrier is refused, got \(oldClients.settling.way)")
            await first.stop(keepData: true)
            return
        }
        #expect(code == .insufficientAccessRights || code == .noSuchObject)
        #expect(try await first.store.read("ou=before-upgrade,\(first.layout.suffix)") != nil)
        await first.stop(keepData: true)

        let second = try await TestDirectory.start(demo: false, path: folder)
        let clients = try #require(second.store.forClients() as? OpenLDAPStore)
        try await addUnit("after-upgrade", in: clients, suffix: second.layout.suffix)
        #expect(clients.settling.way == .barrier)
        await second.stop()
    }
}
