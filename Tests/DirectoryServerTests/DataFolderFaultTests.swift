import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Glibc
import Habilitations
import LDAPProtocol
import Testing

/// Issue #9: the embedded slapd's data folder on a read-only file system, and
/// on a full one. Real file systems: a small tmpfs mounted for the test (root
/// ignores permission bits, so `chmod` would prove nothing; a read-only mount
/// binds root too).
/// Not being root fails every test here with that hint (TemporaryMount), rather than skipping them.
@Suite("Data folder faults", .serialized)
struct DataFolderFaultTests {
    static let convention = "cn=CONV-0606-001,cn=PART0606,ou=partners,dc=annuaire,dc=local"

    @Test("a new data folder on a read-only file system: the start fails with an error naming the folder")
    func readOnlyNewFolder() async throws {
        try await TemporaryMount.with(sizeKiB: 1024) { mount in
            try await mount.remount(readOnly: true)
            let folder = "\(mount.path)/d"
            do {
                _ = try EmbeddedSlapd(
                    configuration: .init(dataDirectory: DataDirectory(path: folder), suffix: DirectoryLayout.defaultSuffix, resources: TestDirectory.resources),
                    logger: TestDirectory.logger)
                Issue.record("EmbeddedSlapd started on a read-only file system")
            } catch let error as EmbeddedSlapdError {
                #expect(error.description.contains(folder), "\(error.description)")
                #expect(error.description.contains("Read-only file system"), "\(error.description)")
            }
        }
    }

    @Test("an initialised data folder remounted read-only: the start fails naming it; writable again, it starts with its data")
    func readOnlyExistingFolder() async throws {
        try await TemporaryMount.with(sizeKiB: 65536) { mount in
            let folder = "\(mount.path)/d"
            let first = try await TestDirectory.start(demo: true, path: folder)
            await first.stop(keepData: true)
            try await mount.remount(readOnly: true)
            do {
                _ = try EmbeddedSlapd(
                    configuration: .init(dataDirectory: DataDirectory(path: folder), suffix: DirectoryLayout.defaultSuffix, resources: TestDirectory.resources),
                    logger: TestDirectory.logger)
                Issue.record("EmbeddedSlapd started on a read-only file system")
            } catch let error as EmbeddedSlapdError {
                #expect(error.description.contains(folder), "\(error.description)")
                #expect(error.description.contains("not writable (Read-only file system)"), "\(error.description)")
            }
            try await mount.remount(readOnly: false)
            let second = try await TestDirectory.start(demo: false, path: folder)
            #expect(try await DemoDirectory.isLoaded(in: second.store, layout: second.layout))
            await second.stop()
        }
    }

    @Test("a full disk: writes get unwillingToPerform (53) naming the folder, reads and binds keep working; once space is freed writes work and nothing is corrupted, across a slapd restart")
    func fullDisk() async throws {
        try await TemporaryMount.with(sizeKiB: 65536) { mount in
            let folder = "\(mount.path)/d"
            try await TestServer.with(path: folder) { server in
                let layout = server.directory.layout
                let administrator = layout.user(DemoDirectory.administratorIdentifier)
                let client = try RawLDAPClient(port: server.port, timeoutSeconds: 60)
                #expect(try await FaultsUnderWriteLoadTests.bind(client, administrator) == 0)
                let names = FaultsUnderWriteLoadTests.Names(layout: layout)
                let before = try await FaultsUnderWriteLoadTests.createUser(client, names: names, mail: "before.full@partenaire.fr", id: 2)
                #expect(before.result.code == .success, "\(before.result.diagnosticMessage)")
                let people = SearchQuery(base: layout.people, scope: .singleLevel, filter: "(objectClass=annUser)", attributes: ["uid"])
                let usersBefore = try await server.directory.store.searchAll(people).count

                let filled = try mount.fill()
                #expect(filled > 0)
                // Writes: the create-user workflow (counter increment, then a transaction). mdb may still
                // find free pages inside its file for a few writes: those succeed, rightly; the first
                // one that needs the disk must be refused with a clear answer.
                var acceptedWhileFull = 0
                var refused: ExtendedResponse?
                for index in 0..<200 where refused == nil {
                    let response = try await FaultsUnderWriteLoadTests.createUser(
                        client, names: names, mail: "during.full\(index)@partenaire.fr", id: 3 + index)
                    if response.result.code == .success { acceptedWhileFull += 1 } else { refused = response }
                }
                let refusal = try #require(refused, "200 users were created on a full disk")
                #expect(refusal.result.code == .unwillingToPerform, "\(refusal.result.code): \(refusal.result.diagnosticMessage)")
                #expect(refusal.result.diagnosticMessage.contains("no space left"), "\(refusal.result.diagnosticMessage)")
                #expect(refusal.result.diagnosticMessage.contains(folder), "\(refusal.result.diagnosticMessage)")
                let refusedMail = "during.full\(acceptedWhileFull)@partenaire.fr"
                let group = try await FaultsUnderWriteLoadTests.ldapmodify(server, names: names, """
                    dn: \(names.group("FULL"))
                    changetype: add
                    objectClass: annGroup
                    cn: FULL
                    annLabel: disk full
                    annResponsible: \(administrator)
                    annRole: \(names.profileT1)

                    """)
                // mdb may still find free pages inside its file for a small write: success is right then.
                let groupAdded = group.code == 0
                if !groupAdded {
                    #expect(group.code == LDAPResultCode.unwillingToPerform.rawValue, "\(group.code): \(group.diagnostic)")
                    #expect(group.diagnostic.contains("no space left"), "\(group.diagnostic)")
                }
                // Reads and binds.
                let search = try await CommandLineTool.run("ldapsearch", [
                    "-x", "-LLL", "-H", server.url, "-D", administrator, "-w", DemoDirectory.password,
                    "-b", layout.people, "(memberOf=\(names.groupT1))", "uid",
                ])
                #expect(search.status == 0, "\(search.error)")
                #expect(search.output.contains("uid: XXX0606XX06"))
                let reader = try RawLDAPClient(port: server.port, timeoutSeconds: 60)
                #expect(try await FaultsUnderWriteLoadTests.bind(reader, layout.user("XXX0606XX07")) == 0)

                try mount.free()
                let after = try await FaultsUnderWriteLoadTests.createUser(client, names: names, mail: "after.full@partenaire.fr", id: 300)
                #expect(after.result.code == .success, "\(after.result.diagnosticMessage)")
                #expect(try await server.directory.store.searchAll(people).count == usersBefore + acceptedWhileFull + 1)
                #expect(try await server.directory.store.read(names.group("FULL"), attributes: ["1.1"]) != nil || !groupAdded)
                print("full disk: \(acceptedWhileFull) create-users accepted in mdb's free pages, then \(refusal.result.code.rawValue) (\(refusal.result.diagnosticMessage)); group add got \(group.code)")

                // Nothing corrupted: slapd killed and restarted reads the database from disk again.
                let pid = try #require(server.directory.slapd.pid)
                kill(pid, SIGKILL)
                for _ in 0..<600 where server.directory.slapd.restartCount < 1 || server.directory.slapd.pid == pid {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(server.directory.slapd.restartCount == 1)
                #expect(try await server.directory.store.searchAll(people).count == usersBefore + acceptedWhileFull + 1)
                let world = try await ConventionWorld.load(Self.convention, store: server.directory.store, layout: layout)
                #expect(world.derivedChanges(at: Date()).isEmpty)
                let export = try await CommandLineTool.run("slapcat", ["-F", "\(folder)/config", "-n1"])
                #expect(export.status == 0, "\(export.error)")
                #expect(export.output.contains("mail: after.full@partenaire.fr"))
                #expect(!export.output.contains("mail: \(refusedMail)\n"))
            }
        }
    }
}
