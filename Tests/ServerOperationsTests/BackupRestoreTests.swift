import AnnuaireTestSupport
import DirectoryBackend
import DirectoryServer
import Foundation
import Habilitations
import LDAPProtocol
import NIOConcurrencyHelpers
import ServerOperations
import Testing

/// Issue #20, item 3: a backup taken while rule-checked writes keep coming,
/// restored into a new folder, serves every write acknowledged before the
/// backup began, with binds working and the derived state whole.
@Suite("Backup and restore", .serialized)
struct BackupRestoreTests {
    static let demoPassword = "Annuaire-Demo-2026"

    @Test("backup under a write load, restore into a new folder, a server on it: every acknowledged write, binds, nothing left to derive, TLS key and mail jobs back")
    func backupUnderWriteLoad() async throws {
        let work = try TestDirectory.makeTemporaryFolder("bkp")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let archive = URL(fileURLWithPath: work).appendingPathComponent("annuaire.tar.gz")
        let restored = work + "/restored"
        let configuration = URL(fileURLWithPath: work).appendingPathComponent("annuaire.conf")
        try "listen = 127.0.0.1:3389\n".write(to: configuration, atomically: true, encoding: .utf8)

        struct Acknowledged: Sendable {
            var group: String
            var membership: String
        }
        let acknowledged = NIOLockedValueBox<[Acknowledged]>([])
        let writing = NIOLockedValueBox(true)
        let backupFailure = NIOLockedValueBox<String?>(nil)
        let originalKey = NIOLockedValueBox<Data?>(nil)

        let (manifest, backedUpBefore, writesAfter) = try await TestServer.with { server -> (BackupManifest, [Acknowledged], Int) in
            let layout = server.directory.layout
            let data = server.directory.dataDirectory
            let service = server.habilitations
            let op = try Principal(dn: layout.operatorAccount(DemoDirectory.operatorName), role: .operator)
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let profile = "cn=T1,cn=CDAP,\(layout.services)"
            let martin = layout.user("XXX0606XX06")
            // What restore must bring back besides the directory.
            _ = try ServerCertificate.loadOrGenerateSelfSigned(in: data.root.appendingPathComponent("tls"), hostnames: ["127.0.0.1"])
            let key = try Data(contentsOf: data.root.appendingPathComponent("tls/server.key"))
            originalKey.withLockedValue { $0 = key }
            // Not due before the backup: the server's outbox service leaves it where it is.
            let outbox = server.mailOutbox
            try #"{"job":{"identifier":{"dn":"uid=XXX0606XX07,ou=people,dc=annuaire,dc=local"}},"attempts":1,"nextAttempt":"2099-01-01T00:00:00Z"}"#
                .write(to: outbox.appendingPathComponent("1-job.json"), atomically: true, encoding: .utf8)

            // The load: a group with a role, then Martin's membership in it (R2, R3, R5: each
            // write derives member, memberOf and annHabilitation in its transaction).
            let writer = Task {
                var index = 0
                while writing.withLockedValue({ $0 }) {
                    let group = "cn=W\(index),\(convention)"
                    let membership = "annMemberUid=XXX0606XX06,\(group)"
                    _ = try await service.add(dn: group, attributes: [
                        PartialAttribute(type: "objectClass", strings: ["annGroup"]), PartialAttribute(type: "cn", strings: ["W\(index)"]),
                        PartialAttribute(type: "annLabel", strings: ["Charge \(index)"]),
                        PartialAttribute(type: "annOpenDate", strings: ["20200101000000Z"]),
                        PartialAttribute(type: "annResponsible", strings: [layout.user("XXX0606XX01")]),
                        PartialAttribute(type: "annRole", strings: [profile]),
                    ], by: op, controls: [])
                    _ = try await service.add(dn: membership, attributes: [
                        PartialAttribute(type: "objectClass", strings: ["annMembership"]),
                        PartialAttribute(type: "annMemberUid", strings: ["XXX0606XX06"]), PartialAttribute(type: "annMember", strings: [martin]),
                        PartialAttribute(type: "annOpenDate", strings: ["20200101000000Z"]),
                    ], by: op, controls: [])
                    acknowledged.withLockedValue { $0.append(Acknowledged(group: group, membership: membership)) }
                    index += 1
                }
            }
            defer { writer.cancel() }
            // Let the load run, then back up in its middle.
            while acknowledged.withLockedValue({ $0.count }) < 10 { try await Task.sleep(for: .milliseconds(50)) }
            let before = acknowledged.withLockedValue { $0 }
            let manifest = try await OffPool.run {
                try DataFolderBackup.create(
                    from: .init(dataDirectory: data, mailOutbox: outbox, configurationFile: configuration), to: archive, version: AnnuaireVersion.current)
            }
            let countAtBackupEnd = acknowledged.withLockedValue { $0.count }
            // The load goes on after the copy: writes the backup must not need.
            while acknowledged.withLockedValue({ $0.count }) < countAtBackupEnd + 3 { try await Task.sleep(for: .milliseconds(50)) }
            writing.withLockedValue { $0 = false }
            do {
                try await writer.value
            } catch {
                backupFailure.withLockedValue { $0 = "the write load failed: \(error)" }
            }
            return (manifest, before, acknowledged.withLockedValue { $0.count } - countAtBackupEnd)
        }
        #expect(backupFailure.withLockedValue { $0 } == nil)
        #expect(writesAfter >= 3)
        #expect(manifest.suffix == DirectoryLayout.defaultSuffix)
        #expect(manifest.hasTLS && manifest.hasConfiguration && manifest.mailJobs == 1)
        #expect(manifest.argon2 == TestDirectory.testArgon2.description)
        var mode = stat()
        #expect(stat(archive.path, &mode) == 0 && mode.st_mode & 0o777 == 0o600, "the archive holds hashes and a key: owner only")

        let restoredManifest = try await OffPool.run {
            try DataFolderRestore.restore(
                archive, into: .init(dataDirectory: DataDirectory(path: restored), resources: TestDirectory.resources),
                currentVersion: AnnuaireVersion.current, logger: TestDirectory.logger)
        }
        #expect(restoredManifest == manifest)
        #expect(try Data(contentsOf: URL(fileURLWithPath: restored + "/tls/server.key")) == originalKey.withLockedValue { $0 })
        #expect(FileManager.default.fileExists(atPath: restored + "/tls/server.crt"))
        #expect(FileManager.default.fileExists(atPath: restored + "/mail-outbox/1-job.json"))
        #expect((try? String(contentsOfFile: restored + "/" + DataFolderRestore.restoredConfigurationName, encoding: .utf8)) == "listen = 127.0.0.1:3389\n")
        #expect(DataFolderVersion.recorded(in: URL(fileURLWithPath: restored)) == AnnuaireVersion.current)

        try await TestServer.with(demo: false, path: restored) { server in
            let store = server.directory.store
            let layout = server.directory.layout
            for write in backedUpBefore {
                #expect(try await store.read(write.group, attributes: ["cn"]) != nil, "acknowledged before the backup: \(write.group)")
                #expect(try await store.read(write.membership, attributes: ["annMember"]) != nil, "acknowledged before the backup: \(write.membership)")
            }
            // Martin is a member of every restored W group, and nothing is left to derive (R1, R5).
            let groups = try await store.searchAll(SearchQuery(
                base: "cn=CONV-0606-001,cn=PART0606,\(layout.partners)", scope: .singleLevel, filter: "(cn=W*)", attributes: ["member"]))
            #expect(groups.count >= backedUpBefore.count)
            let memberOf = Set(try await store.read(layout.user("XXX0606XX06"), attributes: ["memberOf"])?.values(of: "memberOf")
                .map { String(decoding: $0, as: UTF8.self).lowercased() } ?? [])
            for write in backedUpBefore { #expect(memberOf.contains(write.group.lowercased())) }
            var changed = 0
            var next: String?
            repeat {
                let pass = try await server.habilitations.reconcile(after: next)
                changed += pass.changed
                next = pass.next
            } while next != nil
            #expect(changed == 0, "a whole derivation of the restored directory finds nothing to change")
            // Binds: slapd checks the restored argon2 hash.
            let bind = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", Self.demoPassword])
            #expect(bind.status == 0, "\(bind.error)")
            #expect(bind.output.lowercased().contains("uid=xxx0606xx06"))
            let wrong = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", "wrong"])
            #expect(wrong.status == 49)
        }
    }

    @Test("restore refuses a folder that is not empty, a file that is not a backup, and a backup from a newer version")
    func restoreRefusals() async throws {
        let work = try TestDirectory.makeTemporaryFolder("rst")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let target = DataFolderRestore.Target(dataDirectory: DataDirectory(path: work + "/busy"), resources: TestDirectory.resources)
        try FileManager.default.createDirectory(atPath: work + "/busy", withIntermediateDirectories: true)
        try "x".write(toFile: work + "/busy/something", atomically: true, encoding: .utf8)
        try "not an archive".write(toFile: work + "/junk.tar.gz", atomically: true, encoding: .utf8)
        #expect {
            try DataFolderRestore.restore(URL(fileURLWithPath: work + "/junk.tar.gz"), into: target, currentVersion: "0.2.0", logger: TestDirectory.logger)
        } throws: { ($0 as? BackupError)?.description.contains("is not empty") == true }

        // A well-formed archive whose manifest says a newer version made it.
        let content = work + "/content"
        try FileManager.default.createDirectory(atPath: content, withIntermediateDirectories: true)
        let manifest = BackupManifest(
            format: 1, annuaireVersion: "9.0.0", createdAt: Date(), suffix: "dc=annuaire,dc=local", argon2: nil, entries: 0, mailJobs: 0,
            hasTLS: false, hasConfiguration: false)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: content + "/manifest.json"))
        let tar = try await CommandLineTool.run("tar", ["-czf", work + "/newer.tar.gz", "-C", content, "."])
        #expect(tar.status == 0)
        let fresh = DataFolderRestore.Target(dataDirectory: DataDirectory(path: work + "/fresh"), resources: TestDirectory.resources)
        #expect {
            try DataFolderRestore.restore(URL(fileURLWithPath: work + "/newer.tar.gz"), into: fresh, currentVersion: "0.2.0", logger: TestDirectory.logger)
        } throws: { ($0 as? BackupError)?.description.contains("newer than this one (0.2.0): a downgrade is not supported") == true }
        #expect(!FileManager.default.fileExists(atPath: work + "/fresh/config"))
        #expect {
            try DataFolderRestore.restore(URL(fileURLWithPath: work + "/junk.tar.gz"), into: fresh, currentVersion: "0.2.0", logger: TestDirectory.logger)
        } throws: { $0 is BackupError }
    }

    @Test("a data folder last used by a newer version is refused, naming both versions; same or older is accepted")
    func downgradeRefused() throws {
        let folder = try TestDirectory.makeTemporaryFolder("ver")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let root = URL(fileURLWithPath: folder)
        try DataFolderVersion.refuseDowngrade(of: root, to: "0.2.0")  // no file: an older folder
        try DataFolderVersion.record("0.10.0", in: root)
        #expect(DataFolderVersion.compare("0.10.0", "0.9.1") == .orderedDescending)
        #expect(DataFolderVersion.compare("1.0.0-rc1", "1.0") == .orderedSame)
        #expect {
            try DataFolderVersion.refuseDowngrade(of: root, to: "0.9.1")
        } throws: { ($0 as? BackupError)?.description.contains("last used by Annuaire 0.10.0, newer than this one (0.9.1)") == true }
        try DataFolderVersion.refuseDowngrade(of: root, to: "0.10.0")
        try DataFolderVersion.refuseDowngrade(of: root, to: "0.11.0")
    }
}
