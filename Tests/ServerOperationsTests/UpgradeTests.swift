import AnnuaireTestSupport
import DirectoryBackend
import DirectoryServer
import Foundation
import Habilitations
import LDAPProtocol
import ServerOperations
import Testing

/// Issue #20, item 4: a data folder written by a previous release starts
/// under this version with nothing lost. `Fixtures/upgrade/<version>/` holds
/// what such a folder held (`Tools/UpgradeFixture/make-fixture.sh`, run with
/// that release's program): its cn=config and its directory as slapcat
/// printed them. The test rebuilds the folder from them with slapadd, starts
/// this version on it, and checks that every entry and every value a person
/// or the rules wrote is still there, that the configuration is now the one
/// a new folder gets (schema, indexes, modules, ACLs: an upgrade the start
/// forgot shows here), that nothing is left to derive, and that binds work.
@Suite("Upgrade from a previous release", .serialized)
struct UpgradeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/upgrade")

    static var versions: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Values the current version recomputes (derived by the rules) or slapd rewrites on any change.
    static let recomputed: Set<String> = [
        "member", "memberof", "annhabilitation", "annmanages", "annstatus", "annlevel", "pwdstarttime", "pwdendtime", "annrevision",
        "entrycsn", "contextcsn", "modifytimestamp", "modifiersname",
    ]

    /// The LDIF text with folded lines joined (RFC 2849), so a path is never split.
    static func unfolded(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n ", with: "")
    }

    /// entries[dn][attribute] = values, attribute names lower-cased.
    static func entries(_ text: String) throws -> [String: [String: Set<String>]] {
        var result: [String: [String: Set<String>]] = [:]
        for record in try LDIFParser.parse(text) {
            guard case .add(let dn, let attributes) = record else { continue }
            var values: [String: Set<String>] = [:]
            for attribute in attributes {
                values[attribute.type.lowercased(), default: []].formUnion(attribute.values.map { String(decoding: $0, as: UTF8.self) })
            }
            result[dn.lowercased()] = values
        }
        return result
    }

    /// cn=config as comparable lines: paths and the process's peer DN replaced by names, operational
    /// attributes dropped, `{N}` order prefixes dropped except in olcAccess (where order is meaning).
    static func configurationLines(_ text: String, root: String) -> Set<String> {
        let operational: Set<String> = [
            "entrycsn", "entryuuid", "createtimestamp", "modifytimestamp", "creatorsname", "modifiersname", "structuralobjectclass",
        ]
        var lines = Set<String>()
        var dn = ""
        for line in unfolded(text).replacingOccurrences(of: root, with: "$DATA").replacingOccurrences(of: EmbeddedSlapd.peerCredentialDN, with: "$ROOT")
            .split(separator: "\n") where !line.hasPrefix("#")
        {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let type = line[..<colon].lowercased()
            var value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if type == "dn" {
                dn = value.replacingOccurrences(of: #"\{-?[0-9]+\}"#, with: "", options: .regularExpression)
                continue
            }
            if operational.contains(type) { continue }
            if type != "olcaccess" { value = value.replacingOccurrences(of: #"^\{-?[0-9]+\}"#, with: "", options: .regularExpression) }
            lines.insert("\(dn) | \(type): \(value.split(separator: " ").joined(separator: " "))")
        }
        return lines
    }

    @Test("a data folder written by a previous release starts under this one: entries and values kept, configuration as a new folder's, nothing to derive, binds", arguments: UpgradeTests.versions)
    func upgrade(from version: String) async throws {
        let fixture = Self.fixtures.appendingPathComponent(version)
        let work = try TestDirectory.makeTemporaryFolder("upg")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let data = DataDirectory(path: work + "/data")

        // The old folder, rebuilt as that version left it.
        var oldConfig = Self.unfolded(try String(contentsOf: fixture.appendingPathComponent("slapd-config.ldif"), encoding: .utf8))
        let oldDatabase = try #require(
            oldConfig.split(separator: "\n").first { $0.hasPrefix("olcDbDirectory: ") }.map { String($0.dropFirst("olcDbDirectory: ".count)) })
        let oldRoot = String(oldDatabase.dropLast("/db".count))
        let oldPeer = try #require(oldConfig.split(separator: "\n").first { $0.hasPrefix("olcRootDN: gidNumber=") }.map { String($0.dropFirst("olcRootDN: ".count)) })
        oldConfig = oldConfig.replacingOccurrences(of: oldRoot, with: data.root.path).replacingOccurrences(of: oldPeer, with: EmbeddedSlapd.peerCredentialDN)
        for folder in [data.configDirectory, data.databaseDirectory, data.runDirectory, data.logDirectory] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let configLDIF = work + "/old-config.ldif"
        try oldConfig.write(toFile: configLDIF, atomically: true, encoding: .utf8)
        let directoryLDIF = fixture.appendingPathComponent("directory.ldif").path
        for arguments in [["-n0", "-F", data.configDirectory.path, "-l", configLDIF], ["-q", "-n1", "-F", data.configDirectory.path, "-l", directoryLDIF]] {
            let slapadd = try await CommandLineTool.run("/usr/sbin/slapadd", arguments)
            #expect(slapadd.status == 0, "slapadd \(arguments[0]): \(slapadd.error)")
        }
        try Data("1\n".utf8).write(to: data.root.appendingPathComponent("initialized"))
        let before = try Self.entries(try String(contentsOfFile: directoryLDIF, encoding: .utf8))
        #expect(before.count > 40)

        // A new folder of this version, for the configuration it should now have.
        let fresh = DataDirectory(path: work + "/fresh")
        var freshConfiguration = EmbeddedSlapd.Configuration(dataDirectory: fresh, suffix: DirectoryLayout.defaultSuffix, resources: TestDirectory.resources)
        freshConfiguration.argon2 = TestDirectory.testArgon2
        let settings = freshConfiguration
        try await OffPool.run { try EmbeddedSlapd(configuration: settings, logger: TestDirectory.logger).stop() }
        try fresh.export(database: 0, to: URL(fileURLWithPath: work + "/fresh-config.ldif"))
        let wanted = Self.configurationLines(try String(contentsOfFile: work + "/fresh-config.ldif", encoding: .utf8), root: fresh.root.path)

        try await TestServer.with(demo: false, path: data.root.path) { server in
            let layout = server.directory.layout
            #expect(try await BackendSchemaCheck.missingAttributeTypes(in: server.directory.store, schema: TestDirectory.resources.projectSchema).isEmpty)
            var changed = 0
            var next: String?
            repeat {
                let pass = try await server.habilitations.reconcile(after: next)
                next = pass.next
            } while next != nil
            repeat {
                let pass = try await server.habilitations.reconcile(after: next)
                changed += pass.changed
                next = pass.next
            } while next != nil
            #expect(changed == 0, "after one derivation of the upgraded directory, a second finds nothing to change")

            try data.export(database: 1, to: URL(fileURLWithPath: work + "/after.ldif"))
            let after = try Self.entries(try String(contentsOfFile: work + "/after.ldif", encoding: .utf8))
            for (dn, attributes) in before {
                guard let kept = after[dn] else {
                    Issue.record("lost entry \(dn)")
                    continue
                }
                for (type, values) in attributes where !Self.recomputed.contains(type) {
                    let missing = values.subtracting(kept[type] ?? [])
                    #expect(missing.isEmpty, "\(dn): lost \(type) \(missing.sorted())")
                }
            }
            try data.export(database: 0, to: URL(fileURLWithPath: work + "/after-config.ldif"))
            let upgraded = Self.configurationLines(try String(contentsOfFile: work + "/after-config.ldif", encoding: .utf8), root: data.root.path)
            let lacking = wanted.subtracting(upgraded).sorted()
            let extra = upgraded.subtracting(wanted).sorted()
            #expect(lacking.isEmpty, "the upgraded configuration lacks what a new folder has: \(lacking.prefix(20))")
            #expect(extra.isEmpty, "the upgraded configuration has what a new folder has not: \(extra.prefix(20))")

            let bind = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", BackupRestoreTests.demoPassword])
            #expect(bind.status == 0, "\(bind.error)")
        }
    }
}
