import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R8 for a group's responsible (`annResponsible`, materialised as the user's
/// `annManages`), over the LDAP front-end as LACROIX, the responsible of RESP
/// (`ResponsibleGroups`): what it may do inside the groups it manages, with
/// ldapmodify and the create-user workflow; every way out of them refused with
/// R8 and nothing changed; what it reads (the rest invisible, not refused);
/// and `annManages` following the groups in the same write.
@Suite("R8: a group's responsible")
struct GroupResponsibleTests {
    static let password = DemoDirectory.password

    func ldif(_ server: some RulesTestServer, as dn: String, password: String = Self.password, _ text: String) async throws -> CommandResult {
        try await CommandLineTool.run("ldapmodify", ["-x", "-H", server.url, "-D", dn, "-w", password], input: text)
    }

    /// The DNs a search returns to `dn`, normalised.
    func visible(_ server: some RulesTestServer, as dn: String, password: String = Self.password, base: String, _ filter: String = "(objectClass=*)") async throws -> Set<String> {
        let result = try await CommandLineTool.run("ldapsearch", [
            "-x", "-LLL", "-o", "ldif-wrap=no", "-H", server.url, "-D", dn, "-w", password, "-b", base, filter, "1.1",
        ])
        #expect(result.status == 0 || result.status == 32, "\(result.error)")
        return Set(result.output.split(separator: "\n").filter { $0.hasPrefix("dn: ") }.compactMap { try? DistinguishedName(String($0.dropFirst(4))).description })
    }

    func values(_ server: some RulesTestServer, _ dn: String, _ attribute: String) async throws -> [String] {
        let entry = try await server.store.read(dn, attributes: [attribute])
        return (entry?.values(of: attribute) ?? []).map { String(decoding: $0, as: UTF8.self) }.map { (try? DistinguishedName($0).description) ?? $0 }.sorted()
    }

    func normalised(_ dns: [String]) -> [String] {
        dns.map { (try? DistinguishedName($0).description) ?? $0 }.sorted()
    }

    func membership(_ identifier: String, _ layout: DirectoryLayout, in group: String) -> String {
        """
        dn: annMemberUid=\(identifier),\(group)
        changetype: add
        objectClass: annMembership
        annMemberUid: \(identifier)
        annMember: \(layout.user(identifier))
        annOpenDate: 20200101000000Z

        """
    }

    // MARK: The create-user workflow over a raw connection

    func bind(_ client: RawLDAPClient, _ dn: String, password: String = Self.password) async throws {
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(password.utf8))))))
        guard case .bindResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected a bind response")
        }
        try #require(response.result.code == .success)
    }

    func extended(_ client: RawLDAPClient, _ oid: String, _ value: [UInt8], id: Int) async throws -> ExtendedResponse {
        try await client.send(LDAPMessage(messageID: id, operation: .extendedRequest(ExtendedRequest(name: oid, value: value))))
        guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected an extended response")
        }
        return response
    }

    func newUser(_ groups: ResponsibleGroups, group: String, convention: String? = nil, _ name: String) -> CreateUserRequest {
        CreateUserRequest(
            convention: convention ?? groups.convention, group: group, sn: name, givenName: "Agent", mail: "\(name.lowercased())@partenaire.fr",
            mailConfirmation: "\(name.lowercased())@partenaire.fr", workMode: "sedentary")
    }

    // MARK: Tests

    @Test("R8, R5: the responsible attaches a user to its group, creates a subgroup with a subset of its roles and a user into it (create-user workflow); member, memberOf and annManages follow; it changes and closes that user")
    func managesItsGroups() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let groups = try await ResponsibleGroups.add(to: server)
            let me = groups.responsible
            #expect(try await values(server, me, "annManages") == normalised([groups.resp]))

            let attach = try await ldif(server, as: me, membership("XXX0606XX10", layout, in: groups.resp))
            #expect(attach.status == 0, "\(attach.error)")
            #expect(try await values(server, layout.user("XXX0606XX10"), "memberOf").contains(normalised([groups.resp])[0]))
            #expect(try await values(server, groups.resp, "member") == normalised([layout.user("XXX0606XX06"), layout.user("XXX0606XX10")]))

            let subgroup = groups.group("RESP-A")
            let create = try await ldif(server, as: me, """
                dn: \(subgroup)
                changetype: add
                objectClass: annGroup
                cn: RESP-A
                annLabel: Sous-groupe de Justine
                annResponsible: \(layout.user("XXX0606XX10"))
                annParentGroup: \(groups.resp)
                annRole: \(groups.profileT1)

                """ + "\n" + membership("XXX0606XX07", layout, in: subgroup))
            #expect(create.status == 0, "\(create.error)")
            #expect(try await values(server, subgroup, "annLevel") == ["2"])
            #expect(try await values(server, me, "annManages") == normalised([groups.resp, subgroup]))
            #expect(try await values(server, layout.user("XXX0606XX10"), "annManages") == normalised([subgroup]), "the subgroup's own responsible")
            #expect(try await values(server, me, "memberOf").contains(normalised([subgroup])[0]), "it may attach itself to a group it manages")

            let details = try await ldif(server, as: me, """
                dn: \(groups.resp)
                changetype: modify
                replace: annLabel
                annLabel: Groupe de Justine (renommé)
                -
                add: annCloseDate
                annCloseDate: 20991231000000Z

                dn: \(subgroup)
                changetype: modify
                delete: annRole

                dn: \(subgroup)
                changetype: modify
                add: annRole
                annRole: \(groups.profileT1)

                """)
            #expect(details.status == 0, "\(details.error)")
            #expect(try await values(server, groups.resp, "annLabel") == ["Groupe de Justine (renommé)"])

            let client = try RawLDAPClient(port: server.port)
            try await bind(client, me)
            let response = try await extended(client, CreateUserRequest.oid, newUser(groups, group: subgroup, "RECRUE").encoded(), id: 2)
            #expect(response.result.code == .success, "\(response.result.diagnosticMessage)")
            let created = try CreateUserResponse(value: try #require(response.value))
            #expect(try await values(server, created.dn, "memberOf") == normalised([subgroup]))
            #expect(try await visible(server, as: me, base: layout.people, "(uid=\(created.identifier))") == Set(normalised([created.dn])))

            let today = GeneralizedTime.string(GeneralizedTime.startOfDay(Date()))
            let change = try await ldif(server, as: me, """
                dn: \(created.dn)
                changetype: modify
                replace: telephoneNumber
                telephoneNumber: 07 00 09 00 00
                -
                replace: annCloseDate
                annCloseDate: \(today)

                """)
            #expect(change.status == 0, "\(change.error)")
            #expect(try await values(server, created.dn, "annStatus") == ["closed"])
            #expect(try await values(server, created.dn, "memberOf").isEmpty)
        }
    }

    @Test("R6, R9: a group's responsible has a new password or the identifier mailed to a person it manages, never to one it does not manage nor for itself; the mail goes to the person")
    func resetsAndResendsForItsPeople() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let groups = try await ResponsibleGroups.add(to: server)
            let client = try RawLDAPClient(port: server.port)
            try await bind(client, groups.responsible)
            let created = try await extended(client, CreateUserRequest.oid, newUser(groups, group: groups.resp, "RECRUE").encoded(), id: 2)
            try #require(created.result.code == .success, "\(created.result.diagnosticMessage)")
            let recruit = try CreateUserResponse(value: try #require(created.value))
            func reset(_ dn: String) async throws -> CommandResult {
                try await CommandLineTool.run("ldappasswd", ["-x", "-H", server.url, "-D", groups.responsible, "-w", Self.password, dn])
            }
            let mailsBefore = try server.maildir.delivered().filter { $0.contains("To: recrue@partenaire.fr") }.count
            let mine = try await reset(recruit.dn)
            #expect(mine.status == 0, "\(mine.error)")
            #expect(!mine.output.contains("New password"), "the temporary password is never shown to whoever asked")
            let resend = try await extended(client, HabilitationService.resendIdentifierOID, ForgotPasswordRequest(identifier: recruit.identifier).encoded(), id: 3)
            #expect(resend.result.code == .success, "\(resend.result.diagnosticMessage)")
            #expect(try server.maildir.delivered().filter { $0.contains("To: recrue@partenaire.fr") }.count == mailsBefore + 2)
            // DUPUIS is also in T1, DUPONT only in OTHER: neither is only in groups it manages; nor is itself.
            // DUPUIS, whom it sees (RESP holds him), is refused with R8; DUPONT and the administrator, whom it
            // does not see, answer as missing people would (32).
            let refused = try await reset(layout.user("XXX0606XX06"))
            #expect(refused.status != 0 && refused.output.contains("(50)") && refused.output.contains("R8"), "\(refused.status) \(refused.output)")
            for dn in [layout.user("XXX0606XX08"), groups.administrator] {
                let unseen = try await reset(dn)
                #expect(unseen.status != 0 && unseen.output.contains("(32)"), "\(dn): \(unseen.status) \(unseen.output)")
            }
            let own = try await reset(groups.responsible)
            // Its own: a change, which needs its current password, not a reset.
            #expect(own.status != 0 && own.output.contains("(53)") && own.output.contains("mot de passe actuel"), "\(own.status) \(own.output)")
            let other = try await extended(client, HabilitationService.resendIdentifierOID, ForgotPasswordRequest(identifier: "XXX0606XX08").encoded(), id: 4)
            #expect(other.result.code == .noSuchObject, "a person it does not see answers as a missing one")
        }
    }

    @Test("R8: annManages follows the group in the same write: a subgroup adds to it, a new responsible takes it over, closing the group empties it; the former responsible can no longer act")
    func annManagesFollows() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let groups = try await ResponsibleGroups.add(to: server)
            let me = groups.responsible
            let dupuis = layout.user("XXX0606XX06")
            #expect(try await values(server, groups.administrator, "annManages") == normalised([groups.group("T1"), groups.other]))

            let subgroup = groups.group("RESP-B")
            let create = try await ldif(server, as: me, """
                dn: \(subgroup)
                changetype: add
                objectClass: annGroup
                cn: RESP-B
                annLabel: Sous-groupe
                annResponsible: \(me)
                annParentGroup: \(groups.resp)

                """)
            #expect(create.status == 0, "\(create.error)")
            #expect(try await values(server, me, "annManages") == normalised([groups.resp, subgroup]))

            let handOver = try await ldif(server, as: groups.administrator, """
                dn: \(groups.resp)
                changetype: modify
                replace: annResponsible
                annResponsible: \(dupuis)

                """)
            #expect(handOver.status == 0, "\(handOver.error)")
            // LACROIX keeps RESP-B, which names her as its responsible; DUPUIS manages RESP and, below it, RESP-B.
            #expect(try await values(server, me, "annManages") == normalised([subgroup]))
            #expect(try await values(server, dupuis, "annManages") == normalised([groups.resp, subgroup]))
            let former = try await ldif(server, as: me, membership("XXX0606XX10", layout, in: groups.resp))
            // RESP is no longer its to see: it answers as a missing group.
            #expect(former.status == 32, "\(former.error)")

            let close = try await ldif(server, as: groups.administrator, """
                dn: \(groups.resp)
                changetype: modify
                add: annCloseDate
                annCloseDate: 20210101000000Z

                """)
            #expect(close.status == 0, "\(close.error)")
            #expect(try await values(server, groups.resp, "annStatus") == ["closed"])
            #expect(try await values(server, dupuis, "annManages").isEmpty)
            #expect(try await values(server, me, "annManages").isEmpty, "RESP-B is below a closed group: not in force, managed by nobody")
            let closed = try await ldif(server, as: dupuis, membership("XXX0606XX10", layout, in: subgroup))
            #expect(closed.status == 32, "\(closed.error)")
        }
    }

    @Test("R8: every escalation path of a group's responsible through raw LDAP is refused (50, R8; 32 for what it may not see, as if missing) and nothing changes: attaching itself or others to a group it does not manage, a subgroup role its parent lacks, a role added to its own group, its group handed over or moved or lengthened, another group taken over, people it does not manage, privileges on itself")
    func escalationThroughLDAP() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let groups = try await ResponsibleGroups.add(to: server)
            let partner = try await OtherPartner.addWithGroup(to: server)
            let g2 = partner.group
            let me = groups.responsible
            let t1 = groups.group("T1")
            let watched = [
                groups.resp, groups.other, t1, groups.convention, g2, me, groups.administrator,
                layout.user("XXX0606XX06"), layout.user("XXX0606XX08"), layout.user("XXX0606XX10"),
                "annMemberUid=XXX0606XX08,\(groups.other)", "annMemberUid=XXX0606XX06,\(groups.resp)",
            ]
            let before = try await EscalationTests.snapshot(server, watched)
            func subgroup(_ code: String, _ lines: String) -> String {
                "dn: \(groups.group(code))\nchangetype: add\nobjectClass: annGroup\ncn: \(code)\nannLabel: x\nannResponsible: \(me)\n\(lines)"
            }
            func modify(_ dn: String, _ lines: String) -> String { "dn: \(dn)\nchangetype: modify\n\(lines)\n" }
            let cases: [EscalationTests.Case] = [
                .init(description: "itself attached to a group it does not manage", input: membership("XXX0606XX07", layout, in: groups.other),
                      codes: [32], mentions: "No such object"),
                .init(description: "another person attached to a group it does not manage", input: membership("XXX0606XX10", layout, in: groups.other),
                      codes: [32], mentions: "No such object"),
                .init(description: "itself attached to another partner's group", input: membership("XXX0606XX07", layout, in: g2),
                      codes: [32], mentions: "No such object"),
                .init(description: "a subgroup given a role its parent lacks", input: subgroup("RESP-X", "annParentGroup: \(groups.resp)\nannRole: \(groups.profileT2)\n"),
                      codes: [50], mentions: "n'est pas un rôle du groupe parent"),
                .init(description: "a top group created", input: subgroup("TOP-X", "annRole: \(groups.profileT1)\n"),
                      codes: [50], mentions: "ne crée que des sous-groupes"),
                .init(description: "a subgroup created below a group it does not manage", input: subgroup("OTHER-X", "annParentGroup: \(groups.other)\n"),
                      codes: [50], mentions: "n'est pas un groupe que vous gérez"),
                .init(description: "a role added to its own group", input: modify(groups.resp, "add: annRole\nannRole: \(groups.profileT2)"),
                      codes: [50], mentions: "vous êtes le responsable de"),
                .init(description: "its own group handed over", input: modify(groups.resp, "replace: annResponsible\nannResponsible: \(layout.user("XXX0606XX06"))"),
                      codes: [50], mentions: "vous êtes le responsable de"),
                .init(description: "its own group moved below another", input: modify(groups.resp, "add: annParentGroup\nannParentGroup: \(groups.other)"),
                      codes: [50], mentions: "vous êtes le responsable de"),
                .init(description: "its own group made to last longer", input: modify(groups.resp, "replace: annOpenDate\nannOpenDate: 20000101000000Z"),
                      codes: [50], mentions: "pas le faire durer plus longtemps"),
                .init(description: "another group taken over", input: modify(groups.other, "replace: annResponsible\nannResponsible: \(me)"),
                      codes: [32], mentions: "No such object"),
                .init(description: "another group's label changed", input: modify(t1, "replace: annLabel\nannLabel: pris"),
                      codes: [32], mentions: "No such object"),
                .init(description: "another partner's group changed", input: modify(g2, "replace: annLabel\nannLabel: pris"),
                      codes: [32], mentions: "No such object"),
                .init(description: "a membership of another group removed", tool: "ldapdelete", arguments: ["annMemberUid=XXX0606XX08,\(groups.other)"],
                      codes: [32], mentions: "No such object"),
                .init(description: "its own group deleted", tool: "ldapdelete", arguments: [groups.resp], codes: [50], mentions: "clôture un groupe"),
                .init(description: "its group renamed", tool: "ldapmodrdn", arguments: [groups.resp, "cn=MINE"], codes: [53], mentions: "jamais renommés"),
                .init(description: "a member also in a group it does not manage changed",
                      input: modify(layout.user("XXX0606XX06"), "replace: mail\nmail: moi@partenaire.fr"),
                      codes: [50], mentions: "aussi rattaché à des groupes que vous ne gérez pas"),
                .init(description: "the administrator's e-mail changed", input: modify(groups.administrator, "replace: mail\nmail: moi@partenaire.fr"),
                      codes: [32], mentions: "No such object"),
                .init(description: "a convention administered by itself", input: modify(me, "add: annAdministers\nannAdministers: \(groups.convention)"),
                      codes: [50], mentions: "R8"),
                .init(description: "its own account changed beyond its contact details", input: modify(me, "replace: annCloseDate\nannCloseDate: 20991231000000Z"),
                      codes: [50], mentions: "sur votre propre entrée"),
                .init(description: "annManages written on itself", input: modify(me, "add: annManages\nannManages: \(groups.other)"),
                      codes: [19], mentions: "annManages est calculé"),
                .init(description: "member written on its group", input: modify(groups.resp, "add: member\nmember: \(me)"),
                      codes: [19], mentions: "member est calculé"),
                .init(description: "its convention granted another profile",
                      input: modify(groups.convention, "add: annGrantedProfile\nannGrantedProfile: cn=SUPERVISEUR,cn=SUPCDAP,\(layout.services)"),
                      codes: [50], mentions: "R8"),
                .init(description: "a user added without the create-user workflow",
                      input: "dn: uid=HANDMADE1,\(layout.people)\nchangetype: add\nobjectClass: inetOrgPerson\nuid: HANDMADE1\ncn: Fait MAIN\nsn: MAIN\ngivenName: Fait\nmail: f.main@partenaire.fr\nannConvention: \(groups.convention)\n",
                      codes: [50], mentions: "R4"),
            ]
            try await EscalationTests.attempt(cases, on: server, as: me)
            #expect(try await EscalationTests.snapshot(server, watched) == before, "an entry changed")
            for dn in ["RESP-X", "TOP-X", "OTHER-X"].map(groups.group) + ["annMemberUid=XXX0606XX07,\(groups.other)", "annMemberUid=XXX0606XX07,\(g2)"] {
                #expect(try await server.store.read(dn, attributes: ["1.1"]) == nil, "\(dn) was created")
            }
        }
    }

    @Test("R8, R4: through the create-user workflow a group's responsible creates nobody into a group it does not manage (its convention's, another partner's), alone or in a batch, and no identifier is drawn")
    func escalationThroughWorkflow() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let groups = try await ResponsibleGroups.add(to: server)
            let partner = try await OtherPartner.addWithGroup(to: server)
            let client = try RawLDAPClient(port: server.port)
            try await bind(client, groups.responsible)
            let attempts: [(String, CreateUserRequest, String)] = [
                ("a group of its convention it does not manage", newUser(groups, group: groups.other, "AUTRE"), "n'est pas un groupe que vous gérez"),
                ("the administrator's group", newUser(groups, group: groups.group("T1"), "AUTRE"), "n'est pas un groupe que vous gérez"),
                ("another partner's group", newUser(groups, group: "cn=G2,\(partner.convention)", convention: partner.convention, "AUTRE"), "dans un groupe que vous gérez"),
                ("another partner's group under its own convention", newUser(groups, group: "cn=G2,\(partner.convention)", "AUTRE"), "n'est pas un groupe que vous gérez"),
                ("its own group under another partner's convention", newUser(groups, group: groups.resp, convention: partner.convention, "AUTRE"), "dans un groupe que vous gérez"),
            ]
            for (index, (description, request, mentions)) in attempts.enumerated() {
                let response = try await extended(client, CreateUserRequest.oid, request.encoded(), id: 2 + index)
                #expect(response.result.code == .insufficientAccessRights, "\(description): \(response.result.diagnosticMessage)")
                #expect(response.result.diagnosticMessage.hasPrefix("R8 : "), "\(description)")
                #expect(response.result.diagnosticMessage.contains(mentions), "\(description): \(response.result.diagnosticMessage)")
            }
            let batch = CreateUsersRequest(users: [newUser(groups, group: groups.resp, "BON"), newUser(groups, group: groups.other, "MAUVAIS")])
            let response = try await extended(client, CreateUsersRequest.oid, batch.encoded(), id: 20)
            #expect(response.result.code == .success, "\(response.result.diagnosticMessage)")
            let outcome = try CreateUsersResponse(value: try #require(response.value))
            #expect(outcome.created.isEmpty)
            #expect(outcome.refused.map(\.index) == [1])
            #expect(outcome.refused.first?.diagnosticMessage.hasPrefix("R8 : ") == true)
            let counter = try await server.store.read(layout.identifierCounter, attributes: ["annIdentifierCounter"])
            #expect(counter?.values(of: "annIdentifierCounter").first.map { String(decoding: $0, as: UTF8.self) } == "11", "no identifier drawn")
        }
    }

    @Test("R8, R11: a group's responsible reads itself, the convention entry, the service catalogue, its groups, their memberships, the users they hold and their history; other groups, their members and other partners are invisible (not refused), compare included")
    func reads() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let groups = try await ResponsibleGroups.add(to: server)
            _ = try await OtherPartner.add(to: server)
            let me = groups.responsible
            let everything = try await visible(server, as: me, base: layout.suffix)
            let services = try DistinguishedName(layout.services)
            let outsideCatalogue = everything.filter { !((try? DistinguishedName($0))?.isWithin(services) ?? false) }
            // R11: the history of its group and of the memberships in it, none of the others'.
            let events = try await server.store.searchAll(SearchQuery(
                base: layout.history, scope: .singleLevel,
                filter: "(|(annTarget=\(groups.resp))(annTarget=annMemberUid=XXX0606XX06,\(groups.resp)))", attributes: ["1.1"])).map(\.objectName)
            #expect(events.count == 2, "the group's and the membership's add events")
            #expect(outsideCatalogue == Set(normalised([
                me, groups.convention, groups.resp, "annMemberUid=XXX0606XX06,\(groups.resp)", layout.user("XXX0606XX06"),
            ] + events)))
            #expect(everything.contains(normalised(["cn=T1,cn=CDAP,\(layout.services)"])[0]), "the service catalogue")
            // Invisible: a base search finds nothing, a filter on them matches nothing, compare says no such object.
            #expect(try await visible(server, as: me, base: groups.other, "(objectClass=*)").isEmpty)
            #expect(try await visible(server, as: me, base: layout.people, "(memberOf=\(groups.other))").isEmpty)
            #expect(try await visible(server, as: me, base: groups.convention, "(annResponsible=*)") == Set(normalised([groups.resp])))
            for (dn, assertion) in [(groups.other, "cn:OTHER"), (layout.user("XXX0606XX08"), "uid:XXX0606XX08"), (groups.group("T1"), "cn:T1")] {
                let compare = try await CommandLineTool.run("ldapcompare", ["-x", "-H", server.url, "-D", me, "-w", Self.password, dn, assertion])
                #expect(compare.status == 32, "\(dn): \(compare.status) \(compare.output) \(compare.error)")
            }
        }
    }

    @Test("R8: a partner administrator that is also the responsible of a group in another partner's convention keeps both powers, and only those")
    func administratorAndResponsible() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let partner = try await OtherPartner.add(to: server)
            let names = ResponsibleGroups(layout: layout)
            let autre = names.group("AUTRE")
            let setUp = try await ldif(server, as: layout.operatorAccount(DemoDirectory.operatorName), """
                dn: \(partner.administrator)
                changetype: modify
                add: annConvention
                annConvention: \(names.convention)

                dn: \(autre)
                changetype: add
                objectClass: annGroup
                cn: AUTRE
                annLabel: Groupe confié à la commune
                annOpenDate: 20200101000000Z
                annResponsible: \(partner.administrator)
                annRole: \(names.profileT1)

                """)
            try #require(setUp.status == 0, "\(setUp.error)")
            #expect(try await values(server, partner.administrator, "annManages") == normalised([autre]))
            let admin = partner.administrator
            let password = OtherPartner.password

            let asResponsible = try await ldif(server, as: admin, password: password, membership("XXX0606XX06", layout, in: autre))
            #expect(asResponsible.status == 0, "\(asResponsible.error)")
            #expect(try await values(server, layout.user("XXX0606XX06"), "memberOf").contains(normalised([autre])[0]))
            let asAdministrator = try await ldif(server, as: admin, password: password, """
                dn: cn=G3,\(partner.convention)
                changetype: add
                objectClass: annGroup
                cn: G3
                annLabel: Groupe 3
                annResponsible: \(admin)

                """)
            #expect(asAdministrator.status == 0, "\(asAdministrator.error)")
            let beyond = try await ldif(server, as: admin, password: password, membership("XXX0606XX10", layout, in: names.group("T1")))
            #expect(beyond.status == 32, "a group it neither administers nor manages answers as missing: \(beyond.error)")

            let client = try RawLDAPClient(port: server.port)
            try await bind(client, admin, password: password)
            let created = try await extended(client, CreateUserRequest.oid, newUser(names, group: autre, "COMMUNAL").encoded(), id: 2)
            #expect(created.result.code == .success, "\(created.result.diagnosticMessage)")

            let seen = try await visible(server, as: admin, password: password, base: layout.suffix)
            for dn in [autre, names.convention, layout.user("XXX0606XX06"), "cn=G3,\(partner.convention)", partner.convention] {
                #expect(seen.contains(normalised([dn])[0]), "\(dn) is not visible")
            }
            for dn in [names.group("T1"), layout.user("XXX0606XX08"), "cn=PART0606,\(layout.partners)"] {
                #expect(!seen.contains(normalised([dn])[0]), "\(dn) is visible")
            }
        }
    }
}
