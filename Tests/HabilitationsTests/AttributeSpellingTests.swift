import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R8 holds for attribute types, not spellings (RFC 4512 §2.5): every
/// rights-bearing, derived or password-policy attribute, written by its name,
/// its numeric OID, in mixed case or with an option, is refused to a partner
/// administrator, a group's responsible and a person, and nothing changes.
@Suite("R8: attributes are refused by type, whatever their spelling")
struct AttributeSpellingTests {
    /// The attributes no client but the operator sets (and some nobody sets), with a value that would matter.
    static func forbidden(layout: DirectoryLayout, other: OtherPartner) -> [(type: String, value: String)] {
        [
            ("annAdministers", other.convention),
            ("annServiceScope", "cn=CDAP,\(layout.services)"),
            ("annConvention", other.convention),
            ("uidNumber", "0"),
            ("gidNumber", "0"),
            ("homeDirectory", "/root"),
            ("memberOf", other.group),
            ("annHabilitation", "cn=T1,cn=CDAP,\(layout.services)"),
            ("annManages", other.group),
            ("objectClass", "annOperator"),
            ("userPassword", "Pirate-Mot-2026!"),
            ("pwdPolicySubentry", "cn=default,ou=policies,\(layout.suffix)"),
            ("pwdAccountLockedTime", "000001010000Z"),
            ("annCloseDate", "29991231000000Z"),
        ]
    }

    /// The spellings of one type: its name, its OID, its name in mixed case, its OID with an option.
    static func spellings(of type: String, in schema: AttributeTypeRegistry) throws -> [String] {
        let resolved = try #require(schema.type(named: type), "\(type) is in the schema")
        let mixed = String(type.enumerated().map { $0.offset.isMultiple(of: 2) ? Character($0.element.uppercased()) : Character($0.element.lowercased()) })
        return [type, resolved.oid, mixed, resolved.oid + ";binary"]
    }

    @Test("each forbidden attribute, in four spellings, is refused to an administrator, a responsible and a person on their own entries and on a person they manage; nothing changes")
    func spellingsTable() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let other = try await OtherPartner.addWithGroup(to: server)
            _ = try await ResponsibleGroups.add(to: server)
            let schema = try await AttributeTypeRegistry.load(from: server.store)
            let attempts: [(role: String, bindAs: String, target: String)] = [
                ("partner administrator on itself", layout.user(DemoDirectory.administratorIdentifier), layout.user(DemoDirectory.administratorIdentifier)),
                ("partner administrator on a user of its convention", layout.user(DemoDirectory.administratorIdentifier), layout.user("XXX0606XX06")),
                ("group's responsible on itself", layout.user("XXX0606XX07"), layout.user("XXX0606XX07")),
                ("group's responsible on a person of its group", layout.user("XXX0606XX07"), layout.user("XXX0606XX06")),
                ("person on itself", layout.user("XXX0606XX10"), layout.user("XXX0606XX10")),
            ]
            let forbidden = Self.forbidden(layout: layout, other: other)
            for attempt in attempts {
                let before = try await Snapshot.read(attempt.target, on: server)
                var records: [String] = []
                for (type, value) in forbidden {
                    // A close date is forbidden on one's own entry only: administrators close the people they manage.
                    if type == "annCloseDate" && attempt.target != attempt.bindAs { continue }
                    for spelling in try Self.spellings(of: type, in: schema) {
                        records.append("dn: \(attempt.target)\nchangetype: modify\nadd: \(spelling)\n\(spelling): \(value)\n")
                    }
                }
                let result = try await CommandLineTool.run(
                    "ldapmodify", ["-c", "-x", "-H", server.url, "-D", attempt.bindAs, "-w", DemoDirectory.password],
                    input: records.joined(separator: "\n"))
                let refusals = result.error.components(separatedBy: "\n").filter { $0.hasPrefix("ldap_modify:") }
                #expect(refusals.count == records.count, "\(attempt.role): \(refusals.count) of \(records.count) refused\n\(result.error)")
                let after = try await Snapshot.read(attempt.target, on: server)
                #expect(after == before, "\(attempt.role): the entry changed")
            }
        }
    }

    @Test("a group with simpleSecurityObject and a password, spelled by OIDs, is refused to an administrator and cannot bind")
    func passwordBearingGroup() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let schema = try await AttributeTypeRegistry.load(from: server.store)
            let objectClass = try #require(schema.type(named: "objectClass")).oid
            let userPassword = try #require(schema.type(named: "userPassword")).oid
            let group = "cn=PIRATE,cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let result = try await CommandLineTool.run(
                "ldapmodify", ["-x", "-H", server.url, "-D", layout.user(DemoDirectory.administratorIdentifier), "-w", DemoDirectory.password],
                input: """
                    dn: \(group)
                    changetype: add
                    \(objectClass): annGroup
                    \(objectClass): simpleSecurityObject
                    cn: PIRATE
                    annLabel: x
                    annResponsible: \(layout.user(DemoDirectory.administratorIdentifier))
                    \(userPassword): Pirate-Mot-2026!

                    """)
            #expect(result.status == 50, "exit \(result.status): \(result.error)")
            let bind = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", group, "-w", "Pirate-Mot-2026!"])
            #expect(bind.status == 49, "the group binds: \(bind.output) \(bind.error)")
        }
    }

    @Test("R3 holds for annRole spelled by its OID: a profile the convention does not grant is refused")
    func roleByOID() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let schema = try await AttributeTypeRegistry.load(from: server.store)
            let role = try #require(schema.type(named: "annRole")).oid
            let result = try await CommandLineTool.run(
                "ldapmodify", ["-x", "-H", server.url, "-D", layout.user(DemoDirectory.administratorIdentifier), "-w", DemoDirectory.password],
                input: """
                    dn: cn=T1,cn=CONV-0606-001,cn=PART0606,\(layout.partners)
                    changetype: modify
                    add: \(role)
                    \(role): cn=SUPERVISEUR,cn=SUPCDAP,\(layout.services)

                    """)
            #expect(result.status != 0, "an ungranted profile by OID: \(result.error)")
            #expect(result.error.contains("R3"), "\(result.error)")
        }
    }

    @Test("password attributes by OID: filter, compare, sort and assertion get what their names get")
    func passwordAttributesByOID() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let admin = layout.user(DemoDirectory.administratorIdentifier)
            let bind = ["-x", "-H", server.url, "-D", admin, "-w", DemoDirectory.password]
            let pwdHistory = "1.3.6.1.4.1.42.2.27.8.1.20"
            for filter in ["(pwdHistory=*)", "(\(pwdHistory)=*)", "(PWDHISTORY=*)", "(2.5.4.35=*)", "(userPassword;binary=*)", "(:octetStringMatch:=x)"] {
                let search = try await CommandLineTool.run("ldapsearch", bind + ["-b", layout.suffix, filter, "1.1"])
                #expect(search.status == 50, "\(filter): exit \(search.status) \(search.error)")
            }
            for attribute in ["pwdHistory", pwdHistory, "2.5.4.35"] {
                let compare = try await CommandLineTool.run("ldapcompare", bind + [admin, "\(attribute):x"])
                #expect(compare.status == 50, "compare \(attribute): exit \(compare.status) \(compare.error)")
            }
            for key in ["userPassword", "2.5.4.35", pwdHistory] {
                let sorted = try await CommandLineTool.run("ldapsearch", bind + ["-E", "sss=\(key)", "-b", layout.people, "(uid=*)", "1.1"])
                #expect(sorted.status == 50, "sort by \(key): exit \(sorted.status) \(sorted.error)")
            }
            let asserted = try await CommandLineTool.run("ldapsearch", bind + ["-e", "assert=(2.5.4.35=*)", "-b", admin, "-s", "base", "1.1"])
            #expect(asserted.status == 50, "assertion on userPassword by OID: exit \(asserted.status) \(asserted.error)")
        }
    }
}

/// An entry as the operator reads it, every user and operational attribute, for before/after comparisons.
enum Snapshot {
    static func read(_ dn: String, on server: some RulesTestServer) async throws -> String {
        let layout = server.layout
        let result = try await CommandLineTool.run("ldapsearch", [
            "-x", "-LLL", "-o", "ldif-wrap=no", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName),
            "-w", DemoDirectory.password, "-b", dn, "-s", "base", "*", "+",
        ])
        #expect(result.status == 0, "reading \(dn): \(result.error)")
        return result.output.components(separatedBy: "\n").sorted().joined(separator: "\n")
    }
}
