import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// R8 (delegation) and the rules that keep rights where they are granted,
/// tried as a partner administrator with raw LDAP writes (ldapmodify,
/// ldapmodrdn, ldapdelete): every way to widen its rights, reach another
/// partner or bypass a workflow is refused with the rule named, and nothing
/// changes.
@Suite("R8: escalation paths through raw LDAP")
struct EscalationTests {
    static let password = DemoDirectory.password

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var tool: String = "ldapmodify"
        var arguments: [String] = []
        var input: String?
        var codes: Set<Int32>
        var mentions: String
    }

    /// Runs each case with ldap-utils bound as `dn`: the exit status is one of its codes, the diagnostic
    /// mentions what it should, and a refusal for rights (50) names R8.
    static func attempt(_ cases: [Case], on server: some RulesTestServer, as dn: String) async throws {
        for attempt in cases {
            let result = try await CommandLineTool.run(
                attempt.tool, ["-x", "-H", server.url, "-D", dn, "-w", password] + attempt.arguments, input: attempt.input)
            #expect(attempt.codes.contains(result.status), "\(attempt): exit \(result.status) \(result.error)")
            #expect((result.error + result.output).contains(attempt.mentions), "\(attempt): \(result.output) \(result.error)")
            if result.status == 50 { #expect(result.error.contains("R8 : "), "\(attempt): \(result.error)") }
        }
    }

    @Test("a partner administrator cannot write derived attributes, give itself privileges, move or delete what the operator owns, reach another partner, grant an ungranted profile or bypass identifier generation")
    func refused() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let group = "cn=T1,\(convention)"
            let admin = layout.user(DemoDirectory.administratorIdentifier)
            let other = try await OtherPartner.addWithGroup(to: server)
            let otherConvention = other.convention
            let otherAdmin = other.administrator
            let before = try await Self.snapshot(server, [group, admin, layout.user("XXX0606XX06"), convention, "cn=G2,\(otherConvention)"])

            let cases: [Case] = [
                Case(description: "member written on a group", input: "dn: \(group)\nchangetype: modify\nadd: member\nmember: \(otherAdmin)\n",
                     codes: [50, 53, 19], mentions: "member"),
                Case(description: "memberOf written on a user", input: "dn: \(layout.user("XXX0606XX06"))\nchangetype: modify\nadd: memberOf\nmemberOf: cn=G2,\(otherConvention)\n",
                     codes: [50, 53, 19], mentions: "memberOf"),
                Case(description: "annHabilitation written on itself", input: "dn: \(admin)\nchangetype: modify\nadd: annHabilitation\nannHabilitation: x\n",
                     codes: [50, 53, 19], mentions: "annHabilitation"),
                Case(description: "annOperator class added to itself", input: "dn: \(admin)\nchangetype: modify\nadd: objectClass\nobjectClass: annOperator\n",
                     codes: [50], mentions: "R8"),
                Case(description: "another convention administered", input: "dn: \(admin)\nchangetype: modify\nadd: annAdministers\nannAdministers: \(otherConvention)\n",
                     codes: [50], mentions: "R8"),
                Case(description: "its own close date removed (its rights would outlast it)",
                     input: "dn: \(admin)\nchangetype: modify\nreplace: annCloseDate\nannCloseDate: 29991231000000Z\n",
                     codes: [50], mentions: "votre propre annclosedate"),
                Case(description: "a service scope given to itself", input: "dn: \(admin)\nchangetype: modify\nadd: annServiceScope\nannServiceScope: cn=CDAP,\(layout.services)\n",
                     codes: [50], mentions: "R8"),
                Case(description: "its group moved into another partner's convention", tool: "ldapmodrdn",
                     arguments: ["-s", otherConvention, group, "cn=T1"], codes: [32], mentions: "No such object"),
                Case(description: "its convention deleted", tool: "ldapdelete", arguments: [convention], codes: [50], mentions: "R8"),
                Case(description: "its convention granted another profile",
                     input: "dn: \(convention)\nchangetype: modify\nadd: annGrantedProfile\nannGrantedProfile: cn=SUPERVISEUR,cn=SUPCDAP,\(layout.services)\n",
                     codes: [50], mentions: "R8"),
                Case(description: "itself attached to another partner's group",
                     input: "dn: annMemberUid=XXX0606XX01,cn=G2,\(otherConvention)\nchangetype: add\nobjectClass: annMembership\nannMemberUid: XXX0606XX01\nannMember: \(admin)\nannOpenDate: 20200101000000Z\n",
                     codes: [32], mentions: "No such object"),
                // The same answer whether the other partner's entry exists or not, that of a missing entry: nothing learnt about it.
                Case(description: "another partner's group changed", input: "dn: cn=G2,\(otherConvention)\nchangetype: modify\nreplace: annLabel\nannLabel: x\n",
                     codes: [32], mentions: "No such object"),
                Case(description: "another partner's group that does not exist changed",
                     input: "dn: cn=NOSUCH,\(otherConvention)\nchangetype: modify\nreplace: annLabel\nannLabel: x\n", codes: [32], mentions: "No such object"),
                Case(description: "another partner's person attached to its group",
                     input: "dn: annMemberUid=ADM0000002,\(group)\nchangetype: add\nobjectClass: annMembership\nannMemberUid: ADM0000002\nannMember: \(otherAdmin)\nannOpenDate: 20200101000000Z\n",
                     codes: [19, 50], mentions: "ADM0000002"),
                Case(description: "a role with a profile the convention does not grant",
                     input: "dn: \(group)\nchangetype: modify\nadd: annRole\nannRole: cn=SUPERVISEUR,cn=SUPCDAP,\(layout.services)\n",
                     codes: [19], mentions: "R3"),
                Case(description: "another partner's administrator made responsible of its group",
                     input: "dn: \(group)\nchangetype: modify\nreplace: annResponsible\nannResponsible: \(otherAdmin)\n",
                     codes: [19], mentions: "R2"),
                Case(description: "a user added without the create-user workflow",
                     input: "dn: uid=HANDMADE1,\(layout.people)\nchangetype: add\nobjectClass: inetOrgPerson\nuid: HANDMADE1\ncn: Fait MAIN\nsn: MAIN\ngivenName: Fait\nmail: f.main@partenaire.fr\nannConvention: \(convention)\n",
                     codes: [50], mentions: "R4"),
            ]
            try await Self.attempt(cases, on: server, as: admin)
            let after = try await Self.snapshot(server, [group, admin, layout.user("XXX0606XX06"), convention, "cn=G2,\(otherConvention)"])
            #expect(after == before, "an entry changed")
            #expect(try await server.store.read("uid=HANDMADE1,\(layout.people)", attributes: ["uid"]) == nil)
        }
    }

    @Test("R8: rights come from people only: neither a partner administrator nor a group's responsible gives a membership or a group an auxiliary class, annAdministers or a password; one the operator decorated so gives no right to whoever binds as it")
    func rightsOnlyOnPeople() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let groups = try await ResponsibleGroups.add(to: server)
            let partner = try await OtherPartner.add(to: server)
            func decorated(_ group: String) -> String {
                """
                dn: annMemberUid=XXX0606XX10,\(group)
                changetype: add
                objectClass: annMembership
                objectClass: annUser
                objectClass: simpleSecurityObject
                annMemberUid: XXX0606XX10
                annMember: \(layout.user("XXX0606XX10"))
                annOpenDate: 20200101000000Z
                annAdministers: \(partner.convention)
                userPassword: Pirate-Secret-2026

                """
            }
            func run(_ who: String, _ input: String) async throws -> CommandResult {
                try await CommandLineTool.run("ldapmodify", ["-x", "-H", server.url, "-D", who, "-w", Self.password], input: input)
            }
            for (who, group) in [(groups.administrator, groups.other), (groups.responsible, groups.resp)] {
                let add = try await run(who, decorated(group))
                #expect(add.status == 50, "\(who): \(add.error)")
                #expect(add.error.contains("R8 : seul l'opérateur donne à un groupe ou à une appartenance la classe d'objet"), "\(who): \(add.error)")
                let sneaked = try await run(who, "dn: annMemberUid=XXX0606XX10,\(group)\nchangetype: add\nobjectClass: annMembership\nannMemberUid: XXX0606XX10\nannMember: \(layout.user("XXX0606XX10"))\nannOpenDate: 20200101000000Z\nannAdministers: \(partner.convention)\n")
                #expect(sneaked.status == 50, "\(who): \(sneaked.error)")
                #expect(sneaked.error.contains("R8 : seul l'opérateur renseigne annadministers"), "\(who): \(sneaked.error)")
                let modify = try await run(who, "dn: \(group)\nchangetype: modify\nadd: objectClass\nobjectClass: annUser\n-\nadd: annAdministers\nannAdministers: \(partner.convention)\n")
                #expect(modify.status == 50, "\(who): \(modify.error)")
                #expect(modify.error.contains("R8 : seul l'opérateur modifie"), "\(who): \(modify.error)")
                #expect(try await server.store.read("annMemberUid=XXX0606XX10,\(group)", attributes: ["1.1"]) == nil)
            }
            // Written by the operator, such an entry still gives nothing to whoever binds as it: a person.
            let written = try await run(layout.operatorAccount(DemoDirectory.operatorName), decorated(groups.resp))
            try #require(written.status == 0, "\(written.error)")
            let seen = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-o", "ldif-wrap=no", "-H", server.url, "-D", "annMemberUid=XXX0606XX10,\(groups.resp)", "-w", "Pirate-Secret-2026",
                "-b", layout.suffix, "(objectClass=*)", "1.1",
            ])
            #expect(seen.status == 0, "\(seen.error)")
            #expect(seen.output.trimmingCharacters(in: .whitespacesAndNewlines) == "dn: annMemberUid=XXX0606XX10,\(groups.resp)")
            let intrude = try await CommandLineTool.run("ldapmodify", [
                "-x", "-H", server.url, "-D", "annMemberUid=XXX0606XX10,\(groups.resp)", "-w", "Pirate-Secret-2026",
            ], input: "dn: cn=G9,\(partner.convention)\nchangetype: add\nobjectClass: annGroup\ncn: G9\nannLabel: x\nannResponsible: \(partner.administrator)\n")
            #expect(intrude.status == 32, "another partner's convention is out of its sight: \(intrude.error)")
        }
    }

    /// Every user attribute and the derived ones of `dns`, as text, for before/after comparison.
    static func snapshot(_ server: some RulesTestServer, _ dns: [String]) async throws -> [String: [String]] {
        var state: [String: [String]] = [:]
        for dn in dns {
            let entry = try await server.store.read(dn, attributes: ["*", "memberOf", "modifyTimestamp"])
            state[dn] = (entry?.attributes ?? []).flatMap { attribute in
                attribute.values.map { "\(attribute.type.lowercased())=\(String(decoding: $0, as: UTF8.self))" }
            }.sorted()
        }
        return state
    }
}
