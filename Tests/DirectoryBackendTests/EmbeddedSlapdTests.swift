import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Glibc
import Habilitations
import LDAPProtocol
import Testing

@Suite("Embedded slapd lifecycle and the libldap bridge", .serialized)
struct EmbeddedSlapdTests {
    @Test("a first start writes cn=config and the suffix tree; the demo loads in one transaction")
    func firstStartAndDemo() async throws {
        try await TestDirectory.with { directory in
            #expect(directory.slapd.createdDataDirectory)
            let people = try await directory.store.searchAll(
                SearchQuery(base: directory.layout.people, scope: .singleLevel, filter: "(objectClass=inetOrgPerson)", attributes: ["uid"]))
            let identifiers = Set(people.flatMap { $0.values(of: "uid").map { String(decoding: $0, as: UTF8.self) } })
            #expect(identifiers == Set(DemoDirectory.userIdentifiers + [DemoDirectory.administratorIdentifier]))
        }
    }

    @Test("simple binds are checked by slapd: right password, wrong password, closed user (R7)")
    func binds() async throws {
        try await TestDirectory.with { directory in
            let store = directory.store
            let dn = directory.layout.user("XXX0606XX06")
            let good = try await store.bind(dn: dn, password: Array(DemoDirectory.password.utf8), controls: [])
            #expect(good.result.code == .success)
            let bad = try await store.bind(dn: dn, password: Array("wrong".utf8), controls: [])
            #expect(bad.result.code == .invalidCredentials)
            let closed = try await store.bind(
                dn: directory.layout.user(DemoDirectory.closedUserIdentifier), password: Array(DemoDirectory.password.utf8), controls: [])
            #expect(closed.result.code == .invalidCredentials)
            let unknown = try await store.bind(dn: directory.layout.user("XXX0606XX99"), password: Array("x".utf8), controls: [])
            #expect(unknown.result.code == .invalidCredentials)
        }
    }

    @Test("search streams entries and carries slapd's result codes")
    func searchResults() async throws {
        try await TestDirectory.with { directory in
            let store = directory.store
            let entries = try await store.searchAll(
                SearchQuery(base: directory.layout.suffix, scope: .wholeSubtree, filter: "(sn=DUP*)", attributes: ["cn", "mail"]))
            #expect(Set(entries.map(\.objectName)) == [directory.layout.user("XXX0606XX06"), directory.layout.user("XXX0606XX08")])
            await #expect(throws: LDAPOperationError.self) {
                _ = try await store.searchAll(SearchQuery(base: "ou=nowhere,\(directory.layout.suffix)", scope: .baseObject))
            }
            do {
                _ = try await store.searchAll(SearchQuery(base: "ou=nowhere,\(directory.layout.suffix)", scope: .baseObject))
            } catch let error as LDAPOperationError {
                #expect(error.code == .noSuchObject)
                #expect(error.matchedDN == directory.layout.suffix)
            }
            // A size limit is enforced by slapd with its own result code.
            let (result, _) = try await store.search(
                SearchQuery(base: directory.layout.people, scope: .singleLevel, sizeLimit: 2), controls: [], on: nil) { _ in }
            #expect(result.code == .sizeLimitExceeded)
        }
    }

    @Test("a transaction applies all of its writes or none (RFC 5805)")
    func transactions() async throws {
        try await TestDirectory.with(demo: false) { directory in
            let store = directory.store
            let layout = directory.layout
            let first = "ou=first,\(layout.suffix)"
            await #expect(throws: LDAPOperationError.self) {
                try await store.transaction { writer in
                    try writer.add(dn: first, attributes: [
                        PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]),
                        PartialAttribute(type: "ou", strings: ["first"]),
                    ])
                    // Invalid: an organizationalUnit without its naming attribute's class… (no objectClass at all).
                    try writer.add(dn: "ou=second,\(layout.suffix)", attributes: [PartialAttribute(type: "ou", strings: ["second"])])
                }
            }
            #expect(try await store.read(first) == nil)
            try await store.transaction { writer in
                try writer.add(dn: first, attributes: [
                    PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]),
                    PartialAttribute(type: "ou", strings: ["first"]),
                ])
            }
            #expect(try await store.read(first) != nil)
        }
    }

    @Test("slapd killed with SIGKILL is restarted and the next search works")
    func restartAfterKill() async throws {
        try await TestDirectory.with { directory in
            let store = directory.store
            let query = SearchQuery(base: directory.layout.people, scope: .singleLevel, attributes: ["1.1"])
            #expect(try await store.searchAll(query).count == 7)
            let pid = try #require(directory.slapd.pid)
            kill(pid, SIGKILL)
            try await eventually { directory.slapd.restartCount > 0 && directory.slapd.pid != nil }
            #expect(directory.slapd.restartCount == 1)
            #expect(directory.slapd.pid != pid)
            #expect(try await store.searchAll(query).count == 7)
            let bind = try await store.bind(dn: directory.layout.user("XXX0606XX07"), password: Array(DemoDirectory.password.utf8), controls: [])
            #expect(bind.result.code == .success)
        }
    }

    @Test("a second start on the same folder keeps the data; a second process is refused")
    func persistenceAndLock() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try await TestDirectory.start(demo: true, path: folder)
        #expect(throws: EmbeddedSlapdError.self) {
            _ = try EmbeddedSlapd(
                configuration: .init(dataDirectory: DataDirectory(path: folder), suffix: first.layout.suffix, resources: TestDirectory.resources),
                logger: TestDirectory.logger)
        }
        await first.stop(keepData: true)
        let second = try await TestDirectory.start(demo: false, path: folder)
        #expect(!second.slapd.createdDataDirectory)
        #expect(try await DemoDirectory.isLoaded(in: second.store, layout: second.layout))
        await second.stop(keepData: true)
    }

    @Test("argon2 parameters: new hashes use the configured cost; a restart with another cost changes it, and passwords hashed before still bind")
    func argon2Parameters() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dn = { (directory: TestDirectory) in directory.layout.user("XXX0606XX07") }
        func setAndRead(_ directory: TestDirectory, _ password: String) async throws -> String {
            let request = PasswordModifyRequest(userIdentity: dn(directory), newPassword: Array(password.utf8))
            let outcome = try await directory.store.extended(name: PasswordModifyRequest.oid, value: request.encoded(), controls: [])
            #expect(outcome.result.code == .success, "\(outcome.result.diagnosticMessage)")
            let entry = try #require(try await directory.store.read(dn(directory), attributes: ["userPassword"]))
            return String(decoding: try #require(entry.attributes.first?.values.first), as: UTF8.self)
        }
        let cheap = Argon2Parameters(memoryKiB: 4096, iterations: 3, parallelism: 1)
        let first = try await TestDirectory.start(demo: true, path: folder, argon2: cheap)
        let firstHash = try await setAndRead(first, "Premier-Secret-2026")
        #expect(firstHash.hasPrefix("{ARGON2}$argon2"))
        #expect(firstHash.contains("$m=4096,t=3,p=1$"), "\(firstHash.prefix(40))")
        await first.stop(keepData: true)

        let second = try await TestDirectory.start(demo: false, path: folder, argon2: .default)
        let old = try await second.store.bind(dn: dn(second), password: Array("Premier-Secret-2026".utf8), controls: [])
        #expect(old.result.code == .success)
        let secondHash = try await setAndRead(second, "Second-Secret-2026")
        #expect(secondHash.contains("$m=19456,t=2,p=1$"), "\(secondHash.prefix(40))")
        let new = try await second.store.bind(dn: dn(second), password: Array("Second-Secret-2026".utf8), controls: [])
        #expect(new.result.code == .success)
        await second.stop(keepData: true)
    }

    @Test("a data folder made by an earlier version gets the new schema at the next start: a system schema the template now includes, and new attribute types and classes of the project schema")
    func schemaUpgrade() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        let newer = try EditedResources()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            newer.remove()
        }
        let first = try await TestDirectory.start(demo: true, path: folder)
        await first.stop(keepData: true)

        // The next version: misc.ldif included, one more attribute type and object class.
        let resources = newer.resources
        var template = try String(contentsOf: resources.configTemplate, encoding: .utf8)
        let anchor = "include: file://{{SYSTEM_SCHEMA_DIR}}/inetorgperson.ldif\n"
        try #require(template.contains(anchor))
        template = template.replacingOccurrences(of: anchor, with: anchor + "\ninclude: file://{{SYSTEM_SCHEMA_DIR}}/misc.ldif\n")
        try template.write(to: resources.configTemplate, atomically: true, encoding: .utf8)
        let arc = "2.25.309896955993207786281445528786519232768"
        var schema = try String(contentsOf: resources.projectSchema, encoding: .utf8)
        let firstClass = try #require(schema.range(of: "\nolcObjectClasses: "))
        schema.insert(contentsOf: "\nolcAttributeTypes: ( \(arc).1.99 NAME 'annUpgradeTest'\n  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )", at: firstClass.lowerBound)
        while schema.hasSuffix("\n") { schema.removeLast() }
        schema += "\nolcObjectClasses: ( \(arc).2.99 NAME 'annUpgradeTestAux' SUP top AUXILIARY\n  MAY ( annUpgradeTest ) )\n"
        try schema.write(to: resources.projectSchema, atomically: true, encoding: .utf8)

        let second = try await TestDirectory.start(demo: false, path: folder, resources: resources)
        let dn = second.layout.user("XXX0606XX07")
        let outcome = try await second.store.modify(dn: dn, changes: [
            .init(operation: .add, modification: PartialAttribute(type: "objectClass", strings: ["annUpgradeTestAux", "inetLocalMailRecipient"])),
            .init(operation: .add, modification: PartialAttribute(type: "annUpgradeTest", strings: ["added after the upgrade"])),
            .init(operation: .add, modification: PartialAttribute(type: "mailLocalAddress", strings: ["j.lacroix@annuaire.local"])),
        ], controls: [])
        #expect(outcome.result.code == .success, "\(outcome.result.diagnosticMessage)")
        let entry = try #require(try await second.store.read(dn, attributes: ["annUpgradeTest", "mailLocalAddress", "memberOf"]))
        #expect(entry.attributes.contains { $0.type == "annUpgradeTest" })
        #expect(entry.attributes.contains { $0.type == "memberOf" }, "the data of the earlier version is still there")
        await second.stop(keepData: true)
        // A third start with the same files changes nothing more.
        let schemaFolder = second.dataDirectory.configDirectory.appendingPathComponent("cn=config/cn=schema")
        func stamps() throws -> [String: Date] {
            var stamps: [String: Date] = [:]
            for file in try FileManager.default.contentsOfDirectory(atPath: schemaFolder.path) {
                stamps[file] = try FileManager.default.attributesOfItem(atPath: schemaFolder.appendingPathComponent(file).path)[.modificationDate] as? Date
            }
            return stamps
        }
        let before = try stamps()
        #expect(before.keys.contains { $0.hasSuffix("}misc.ldif") })
        let third = try await TestDirectory.start(demo: false, path: folder, resources: resources)
        #expect(try stamps() == before)
        #expect(try await third.store.read(dn, attributes: ["annUpgradeTest"])?.attributes.isEmpty == false)
        await third.stop(keepData: true)
    }

    @Test("R8: a data folder made before annManages existed gets it at the next start, as a new attribute type and in annUser's MAY list, on its existing users")
    func annManagesUpgrade() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        let older = try EditedResources()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            older.remove()
        }
        // The previous version: this schema without annManages.
        let resources = older.resources
        let current = try String(contentsOf: resources.projectSchema, encoding: .utf8)
        let type = try #require(current.range(of: "olcAttributeTypes: ( 2.25.309896955993207786281445528786519232768.1.26\n"))
        let next = try #require(current.range(of: "\nolc", range: type.upperBound..<current.endIndex))
        var schema = current
        schema.removeSubrange(type.lowerBound...next.lowerBound)
        try #require(schema.contains(" $ annManages "))
        schema = schema.replacingOccurrences(of: " $ annManages ", with: " ")
        try #require(!schema.contains("NAME 'annManages'"))
        try schema.write(to: resources.projectSchema, atomically: true, encoding: .utf8)

        let first = try await TestDirectory.start(demo: false, path: folder, resources: resources)
        let dn = first.layout.user("XXX0000001")
        let added = try await first.store.add(dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "annUser"]),
            PartialAttribute(type: "uid", strings: ["XXX0000001"]),
            PartialAttribute(type: "cn", strings: ["Ancien UTILISATEUR"]),
            PartialAttribute(type: "sn", strings: ["UTILISATEUR"]),
        ], controls: [])
        #expect(added.result.code == .success, "\(added.result.diagnosticMessage)")
        // The previous version refuses the type as unknown (17), not for any other reason.
        let refusal: LDAPResult
        do {
            refusal = try await first.store.modify(dn: dn, changes: [
                .init(operation: .add, modification: PartialAttribute(type: "annManages", strings: ["cn=G,\(first.layout.partners)"])),
            ], controls: []).result
        } catch let error as LDAPOperationError {
            refusal = error.result
        }
        #expect(refusal.code == .undefinedAttributeType, "annManages should be unknown to the previous version: \(refusal.code) \(refusal.diagnosticMessage)")
        #expect(refusal.diagnosticMessage.contains("annManages"), "\(refusal.diagnosticMessage)")
        await first.stop(keepData: true)

        let second = try await TestDirectory.start(demo: false, path: folder)
        let after = try await second.store.modify(dn: dn, changes: [
            .init(operation: .add, modification: PartialAttribute(type: "annManages", strings: ["cn=G,\(second.layout.partners)"])),
        ], controls: [])
        #expect(after.result.code == .success, "\(after.result.diagnosticMessage)")
        let entry = try #require(try await second.store.read(dn, attributes: ["annManages", "sn"]))
        #expect(entry.values(of: "annManages").map { String(decoding: $0, as: UTF8.self) } == ["cn=G,\(second.layout.partners)"])
        #expect(entry.values(of: "sn").map { String(decoding: $0, as: UTF8.self) } == ["UTILISATEUR"], "the data of the previous version is still there")
        await second.stop()
    }

    @Test("a data folder made before the date indexes gets them at the next start, built over its existing entries: a date-window filter finds what it found unindexed")
    func dateIndexUpgrade() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        let older = try EditedResources()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            older.remove()
        }
        // The previous version: this configuration template without the annOpenDate/annCloseDate index.
        let resources = older.resources
        try older.edit(resources.configTemplate) { template in
            try #require(template.contains("olcDbIndex: annOpenDate,annCloseDate eq\n"))
            return template.replacingOccurrences(of: "olcDbIndex: annOpenDate,annCloseDate eq\n", with: "")
        }
        let window = SearchQuery(
            base: "dc=annuaire,dc=local", scope: .wholeSubtree,
            filter: "(&(annOpenDate>=20171018000000Z)(annOpenDate<=20171018000000Z))", attributes: ["1.1"])

        let first = try await TestDirectory.start(demo: true, path: folder, resources: resources)
        let unindexed = Set(try await first.store.searchAll(window).map { $0.objectName.lowercased() })
        #expect(unindexed.contains(first.layout.user("XXX0606XX07").lowercased()), "LACROIX opened on 18/10/2017")
        await first.stop(keepData: true)
        let config = URL(fileURLWithPath: folder).appendingPathComponent("config/cn=config/olcDatabase={1}mdb.ldif")
        #expect(try !String(contentsOf: config, encoding: .utf8).contains("annOpenDate,annCloseDate"))

        let second = try await TestDirectory.start(demo: false, path: folder)
        #expect(try String(contentsOf: config, encoding: .utf8).contains("olcDbIndex: annOpenDate,annCloseDate eq"))
        let indexed = Set(try await second.store.searchAll(window).map { $0.objectName.lowercased() })
        #expect(indexed == unindexed, "an index added without indexing the existing entries would find nothing")
        await second.stop()
    }

    @Test("argon2 parameters parse from m=…,t=…,p=… and out-of-range values are refused with the bound named")
    func argon2Parsing() throws {
        #expect(try Argon2Parameters(parsing: "m=65536,t=3,p=2") == Argon2Parameters(memoryKiB: 65536, iterations: 3, parallelism: 2))
        #expect(try Argon2Parameters(parsing: "t=4") == Argon2Parameters(memoryKiB: 19456, iterations: 4, parallelism: 1))
        for (text, named) in [("m=4", "at least 8 KiB"), ("p=0", "not key=positive-number"), ("t=1000", "1 to 100"), ("x=1", "unknown key x"), ("m=abc", "not key=positive-number")] {
            #expect {
                _ = try Argon2Parameters(parsing: text)
            } throws: { error in
                String(describing: error).contains(named)
            }
        }
    }

    @Test("slapd killed in the middle of a transaction: the client gets an error, and after the restart neither entry exists (all or nothing)")
    func killedDuringTransaction() async throws {
        try await TestDirectory.with(demo: false) { directory in
            let store = directory.store
            let first = "ou=one,\(directory.layout.suffix)"
            let second = "ou=two,\(directory.layout.suffix)"
            let pid = try #require(directory.slapd.pid)
            do {
                try await store.transaction { writer in
                    try writer.add(dn: first, attributes: [
                        PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: ["one"]),
                    ])
                    kill(pid, SIGKILL)  // between two steps of the transaction
                    usleep(200_000)
                    try writer.add(dn: second, attributes: [
                        PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: ["two"]),
                    ])
                }
                Issue.record("the transaction should have failed")
            } catch let error as LDAPOperationError {
                #expect(error.code == .unavailable || error.code == .busy || error.code == .other)
            }
            try await eventually { directory.slapd.restartCount > 0 && directory.slapd.pid != nil }
            #expect(directory.slapd.restartCount == 1)
            #expect(try await store.read(first) == nil)
            #expect(try await store.read(second) == nil)
        }
    }
}

/// Data folders made before clients' operations had their own slapd identity get its access control at their next start.
@Suite("Embedded slapd: the client identity's access control, upgraded")
struct ClientIdentityUpgradeTests {
    @Test("R8 in depth: a folder whose data database only let the rootdn in gets the client identity's access control, limits and olcAddContentAcl at the next start")
    func accessControlUpgrade() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        let older = try EditedResources()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            older.remove()
        }
        // The previous version's data database: passwords for binds only, nothing for anyone else, no limits.
        try older.edit(older.resources.configTemplate) { template in
            let start = try #require(template.range(of: "# Who reaches what"))
            let end = try #require(template.range(of: "size=unlimited time=unlimited\n"))
            var text = template
            text.replaceSubrange(start.lowerBound..<end.upperBound, with: """
                olcAccess: {0}to attrs=userPassword by anonymous auth by self write by * none
                olcAccess: {1}to * by * none

                """)
            return text
        }
        let first = try await TestDirectory.start(demo: true, path: folder, resources: older.resources)
        let person = first.layout.user("XXX0606XX06")
        let before = try await first.store.forClients().read(person, attributes: ["mail"])
        #expect(before?.values(of: "mail").isEmpty ?? true, "the previous access control lets the client identity read nothing")
        await first.stop(keepData: true)

        let second = try await TestDirectory.start(demo: false, path: folder)
        let clients = second.store.forClients()
        let after = try #require(try await clients.read(person, attributes: ["mail", "userPassword"]))
        #expect(!after.values(of: "mail").isEmpty)
        #expect(after.values(of: "userPassword").isEmpty)
        await #expect(throws: LDAPOperationError.self, "olcAddContentAcl: an Add carrying a password is refused to the client identity") {
            try await clients.add(dn: "cn=pirate,\(second.layout.suffix)", attributes: [
                PartialAttribute(type: "objectClass", strings: ["person"]), PartialAttribute(type: "cn", strings: ["pirate"]),
                PartialAttribute(type: "sn", strings: ["pirate"]), PartialAttribute(type: "userPassword", strings: ["Pirate-Mot-2026!"]),
            ], controls: [])
        }
        await second.stop(keepData: true)
        // A third start finds it up to date and changes nothing.
        let third = try await TestDirectory.start(demo: false, path: folder)
        #expect(try await third.store.forClients().read(person, attributes: ["mail"])?.values(of: "mail").isEmpty == false)
        await third.stop()
    }
}
