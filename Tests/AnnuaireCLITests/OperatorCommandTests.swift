import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Testing

/// The operator's commands (R8: only the operator manages partner types,
/// partners, conventions, services, profiles, internal users and partner administrators).
@Suite("CLI: the operator's commands")
struct OperatorCommandTests {
    static let operatorDN = "uid=operateur,ou=operators,dc=annuaire,dc=local"

    @Test("partner type, partner, service, profile and a convention granting it; R2 and R8 still apply to the operator's groups and designations; an administrator is refused (77)")
    func catalogueAndDelegation() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let op = CLI(server, as: Self.operatorDN)
            #expect(await op("partner-type", "create", "CCAS", "--label", "Centre communal d'action sociale").status == 0)
            #expect(CSVReader.records((await op("partner-type", "list", "--format", "csv", "--csv-style", "rfc4180")).output).map { $0["code"] } == ["BAILLEUR-SOCIAL", "CCAS", "COMMUNE"])
            let partner = await op("partner", "create", "PART0607", "--label", "Mairie de Nice", "--type", "CCAS")
            #expect(partner.status == 0, "\(partner.error)")
            #expect(await op("service", "create", "ESPB", "--label", "Espace Bailleur 2").status == 0)
            #expect(await op("service", "create-profile", "ESPB/GESTION", "--label", "Gestion").status == 0)
            let services = CSVReader.records((await op("service", "list", "--format", "csv", "--csv-style", "rfc4180")).output)
            #expect(services.first { $0["code"] == "ESPB" }?["profiles"] == "GESTION")
            #expect(services.first { $0["code"] == "CDAP" }?["profiles"] == "T1;T2")
            let convention = await op("convention", "create", "CONV-0607-001", "--partner", "PART0607", "--label", "Convention Nice",
                                      "--grant", "ESPB/GESTION", "--open-date", "01/01/2026", "--format", "json")
            #expect(convention.status == 0, "\(convention.error)")
            #expect(try JSONReader.object(convention.output)["grantedProfiles"] as? [String] == ["ESPB/GESTION"])
            let unknownProfile = await op("convention", "create", "CONV-0607-002", "--partner", "PART0607", "--grant", "ESPB/NOPE")
            #expect(unknownProfile.status == 66)

            let user = await op("user", "create", "--last-name", "BLANC", "--first-name", "Anne", "--mail", "a.blanc@nice.fr",
                                "--mail-confirmation", "a.blanc@nice.fr", "--group", "cn=ADM,cn=CONV-0607-001,cn=PART0607,ou=partners,dc=annuaire,dc=local",
                                "--work-mode", "sedentary")
            #expect(user.status == 65, "no group ADM yet: \(user.error)")
            #expect(user.error.contains("R4 : le groupe d'habilitation"))
            #expect(await op("group", "create", "ADM", "--label", "Administration", "--responsible", "XXX0606XX01", "--convention", "CONV-0607-001").status == 65)

            let outsider = await op("administrator", "add", "XXX0606XX06", "--convention", "CONV-0607-001")
            #expect(outsider.status == 65)
            #expect(outsider.error.contains("R8"))
            let admins = CSVReader.records((await op("administrator", "list", "--format", "csv", "--csv-style", "rfc4180")).output)
            #expect(admins.map { $0["identifier"] } == ["XXX0606XX01"])

            let refused = await CLI(server)("partner-type", "create", "X", "--label", "X")
            #expect(refused.status == 77, "\(refused.error)")
            let refusedConvention = await CLI(server)("convention", "create", "CONV-X", "--partner", "PART0606", "--grant", "CDAP/T1")
            #expect(refusedConvention.status == 77, "\(refusedConvention.error)")
        }
    }

    @Test("R2: the operator starts a new convention from the CLI alone: a group whose responsible is created on the spot (group, person, membership in one transaction), then made its administrator; mistakes leave nothing behind")
    func startsConventionWithResponsibleOnTheSpot() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let op = CLI(server, as: Self.operatorDN)
            #expect(await op("partner", "create", "PART0607", "--label", "Mairie de Nice", "--type", "COMMUNE").status == 0)
            #expect(await op("convention", "create", "CONV-0607-001", "--partner", "PART0607", "--grant", "CDAP/T1").status == 0)
            let person = ["--new-responsible-last-name", "ROUX", "--new-responsible-first-name", "Claire",
                          "--new-responsible-mail", "c.roux@nice.fr", "--new-responsible-mail-confirmation", "c.roux@nice.fr",
                          "--new-responsible-work-mode", "sedentary"]

            // Mistakes first: each refused with its rule, and no person created by any of them.
            let both = await op.run(["group", "create", "ADM", "--label", "Administration", "--responsible", "XXX0606XX01", "--convention", "CONV-0607-001"] + person)
            #expect(both.status == 64, "\(both.error)")
            let notGranted = await op.run(["group", "create", "ADM", "--label", "Administration", "--role", "CDAP/T2", "--convention", "CONV-0607-001"] + person)
            #expect(notGranted.status == 65 && notGranted.error.contains("R3"), "\(notGranted.status) \(notGranted.error)")
            var typo = person
            typo[7] = "c.roux@nice.com"  // the confirmation
            let differing = await op.run(["group", "create", "ADM", "--label", "Administration", "--convention", "CONV-0607-001"] + typo)
            #expect(differing.status == 65 && differing.error.contains("R4 : les deux adresses mail diffèrent"), "\(differing.status) \(differing.error)")
            let otherPartner = await CLI(server).run(["group", "create", "ADM", "--label", "Administration", "--convention", "CONV-0607-001"] + person)
            #expect([66, 77].contains(otherPartner.status), "\(otherPartner.status) \(otherPartner.error)")
            let strays = try await server.store.searchAll(SearchQuery(
                base: server.layout.people, scope: .singleLevel, filter: "(sn=ROUX)", attributes: ["1.1"]))
            #expect(strays.isEmpty, "created by a refused request: \(strays.map(\.objectName)); \(otherPartner.status) \(otherPartner.error)")

            let created = await op.run(["group", "create", "ADM", "--label", "Administration", "--role", "CDAP/T1", "--convention", "CONV-0607-001"] + person)
            #expect(created.status == 0, "\(created.error)")
            let identifier = try #require(created.output.firstMatch(of: /identifiant (\S+)/).map { String($0.1) })
            #expect(identifier == "XXX0606XX12", "the next identifier of the demo's pattern")
            let group = try JSONReader.object((await op("group", "show", "ADM", "--convention", "CONV-0607-001", "--format", "json")).output)
            #expect("\(group["responsible"] ?? "")".contains(identifier), "\(group)")
            let members = CSVReader.records((await op("membership", "list", "--group", "ADM", "--convention", "CONV-0607-001", "--format", "csv", "--csv-style", "rfc4180")).output)
            #expect(members.map { $0["identifier"] } == [identifier])
            let user = try #require(try await server.store.read(server.layout.user(identifier), attributes: ["memberOf", "annHabilitation"]))
            #expect(user.values(of: "annHabilitation").map { String(decoding: $0, as: UTF8.self).lowercased() } == ["cn=t1,cn=cdap,ou=services,dc=annuaire,dc=local"])
            let shown = try JSONReader.object((await op("user", "show", identifier, "--format", "json")).output)
            #expect(shown["manages"] as? [String] == ["ADM"], "R8: the new person manages the group: \(shown)")
            let again = await op.run(["group", "create", "ADM", "--label", "Administration", "--convention", "CONV-0607-001"] + person)
            #expect(again.status == 65 && again.error.contains("R2 : le code de groupe ADM est déjà utilisé"), "\(again.status) \(again.error)")

            // The person is mailed the identifier and a temporary password, and can be made the convention's administrator.
            #expect(try server.maildir.delivered().filter { $0.contains("To: c.roux@nice.fr") }.count == 2)
            let add = await op("administrator", "add", identifier, "--convention", "CONV-0607-001")
            #expect(add.status == 0, "\(add.error)")
            let events = try await server.store.searchAll(SearchQuery(
                base: server.layout.history, scope: .singleLevel, filter: "(annTarget=cn=ADM,cn=CONV-0607-001,cn=PART0607,ou=partners,dc=annuaire,dc=local)",
                attributes: ["annAction"]))
            #expect(events.flatMap { $0.values(of: "annAction").map { String(decoding: $0, as: UTF8.self) } } == ["add"], "R11: the group's creation is recorded")
        }
    }

    @Test("administrator add gives a convention user the right to manage its groups, remove takes it back (R8: the group it is the responsible of stays its own); operator create mails a temporary password")
    func administratorsAndOperators() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let op = CLI(server, as: Self.operatorDN)
            let justine = CLI(server, as: "XXX0606XX07")
            let before = await justine("group", "create", "T1J", "--label", "Groupe de Justine", "--responsible", "XXX0606XX07", "--convention", "CONV-0606-001")
            #expect([66, 77].contains(before.status), "\(before.status) \(before.error)")
            let add = await op("administrator", "add", "XXX0606XX07", "--convention", "CONV-0606-001")
            #expect(add.status == 0, "\(add.error)")
            let after = await justine("group", "create", "T1J", "--label", "Groupe de Justine", "--responsible", "XXX0606XX07", "--role", "CDAP/T1")
            #expect(after.status == 0, "\(after.error)")
            let admins = CSVReader.records((await op("administrator", "list", "--convention", "CONV-0606-001", "--format", "csv", "--csv-style", "rfc4180")).output)
            #expect(admins.map { $0["identifier"] } == ["XXX0606XX01", "XXX0606XX07"])
            #expect(await op("administrator", "remove", "XXX0606XX07", "--convention", "CONV-0606-001").status == 0)
            let afterRemoval = await justine("group", "list", "--format", "csv", "--csv-style", "rfc4180")
            #expect(afterRemoval.status == 0, "\(afterRemoval.error)")
            // R8: no longer an administrator, she manages only T1J, of which she is the responsible: she sees no other group and creates no top group.
            #expect(CSVReader.records(afterRemoval.output).map { $0["code"] } == ["T1J"])
            let topGroup = await justine("group", "create", "T1K", "--label", "Autre", "--responsible", "XXX0606XX07", "--convention", "CONV-0606-001")
            #expect(topGroup.status == 77 && topGroup.error.contains("R8"), "\(topGroup.status) \(topGroup.error)")

            let created = await op("operator", "create", "cds-martin", "--last-name", "MARTIN", "--first-name", "Paul", "--mail", "p.martin@centre-services.fr")
            #expect(created.status == 0, "\(created.error)")
            let operators = CSVReader.records((await op("operator", "list", "--format", "csv", "--csv-style", "rfc4180")).output)
            #expect(operators.map { $0["identifier"] } == ["cds-martin", "operateur"])
            let mails = try server.maildir.delivered().filter { $0.contains("To: p.martin@centre-services.fr") }
            #expect(mails.count == 1)
        }
    }
}
