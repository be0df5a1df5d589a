import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// Issue #16, items 5 to 7 as people meet them: bounded fields (R4), a
/// warning for a person who seems to exist already, accent-insensitive name
/// filters, pending members listed, empty lists explained, the help desk in
/// `rules` and in mails, and French by default with English on request.
@Suite("CLI: guards, help desk and languages")
struct DirectoryGuardsTests {
    static func create(_ cli: CLI, _ lastName: String, mail: String, extra: [String] = []) async -> CLIResult {
        await cli.run(["user", "create", "--last-name", lastName, "--first-name", "Élise", "--mail", mail, "--mail-confirmation", mail,
                       "--group", "T1", "--work-mode", "sedentaire"] + extra)
    }

    @Test("R4: a 300-character last name is refused with the field named; French work modes are accepted")
    func fieldLengths() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let long = await Self.create(cli, String(repeating: "A", count: 300), mail: "e.long@partenaire.fr")
            #expect(long.status == 65)
            #expect(long.error.contains("R4 : le champ nom (sn) a 300 caractères ; 64 au plus"), "\(long.error)")
            let fine = await Self.create(cli, "LÉGER", mail: "e.leger@partenaire.fr")
            #expect(fine.status == 0, "\(fine.error)")
            let group = await cli("group", "create", "LONG", "--label", String(repeating: "x", count: 129), "--responsible", "XXX0606XX01")
            #expect(group.status == 65 && group.error.contains("R2"), "\(group.error)")
        }
    }

    @Test("a person with the name and mailbox of an open user is created with a warning; names match without accents or case; --group lists pending members")
    func samePersonAndFilters() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            #expect(await Self.create(cli, "LÉGER", mail: "e.leger@partenaire.fr").status == 0)
            let again = await Self.create(cli, "LÉGER", mail: "e.leger@partenaire.fr")
            #expect(again.status == 0, "\(again.error)")
            #expect(again.error.contains("attention : un utilisateur ouvert porte déjà ce nom et cette adresse (XXX0606XX12)"), "\(again.error)")

            let found = try JSONReader.array((await cli("user", "list", "--last-name", "leg", "--format", "json")).output)
            #expect(found.compactMap { $0["lastName"] as? String } == ["LÉGER", "LÉGER"])
            let first = try JSONReader.array((await cli("user", "list", "--first-name", "ELISE", "--format", "json")).output)
            #expect(first.count == 2)

            #expect(await cli("group", "create", "T1B", "--label", "CDAP T1 bis", "--responsible", "XXX0606XX01").status == 0)
            #expect(await cli("membership", "add", "XXX0606XX12", "--group", "T1B", "--open-date", DashboardCommandDates.inDays(7)).status == 0)
            let members = await cli("user", "list", "--group", "T1B")
            #expect(members.status == 0, "\(members.error)")
            let line = members.output.split(separator: "\n").first { $0.hasPrefix("XXX0606XX12") }
            #expect(line?.hasSuffix("En attente") == true, "\(members.output)")

            let none = await cli("user", "list", "--last-name", "zzz")
            #expect(none.error.contains("Aucun utilisateur ne correspond (avec les filtres --last-name zzz ; vous voyez les conventions que vous administrez : CONV-0606-001)"), "\(none.error)")
        }
    }

    @Test("the help desk, configured once by the operator, is in `rules` and at the end of every mail")
    func helpDesk() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let operatorCLI = CLI(server, as: server.layout.operatorAccount(DemoDirectory.operatorName))
            let set = await operatorCLI("help-desk", "--phone", "04 00 00 00 00", "--mail", "centre-de-services@caf.fr", "--hours", "du lundi au vendredi, 9 h – 17 h")
            #expect(set.status == 0, "\(set.error)")
            let refused = await CLI(server)("help-desk", "--phone", "01 00 00 00 00")
            #expect(refused.status == 77, "\(refused.error)")
            let rules = await CLI.runOnThread(["rules", "-H", server.url], environment: [:])
            #expect(rules.output.contains("Centre de Services : 04 00 00 00 00 — centre-de-services@caf.fr — du lundi au vendredi, 9 h – 17 h"), "\(rules.output)\(rules.error)")
            #expect(await CLI(server)("user", "resend-identifier", "XXX0606XX06").status == 0)
            let mail = try #require(try server.maildir.delivered().last)
            #expect(mail.contains("Centre de Services : 04 00 00 00 00 — centre-de-services@caf.fr"), "\(mail)")
        }
    }

    @Test("help and refusals in French by default; LANG=en_US.UTF-8 or --lang en gives English; rule ids stay")
    func languages() async throws {
        let french = await CLI.runOnThread(["--help"], environment: [:])
        #expect((french.output + french.error).contains("Annuaire : serveur d'annuaire LDAP"), "\(french.output)\(french.error)")
        let english = await CLI.runOnThread(["--help"], environment: ["LANG": "en_US.UTF-8"])
        #expect((english.output + english.error).contains("Annuaire: LDAP directory server"), "\(english.output)\(english.error)")
        let groupHelp = await CLI.runOnThread(["group", "modify", "--help"], environment: [:])
        #expect((groupHelp.output + groupHelp.error).contains("Rôle à ajouter"), "\(groupHelp.output)\(groupHelp.error)")
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let refused = await cli("membership", "close", "XXX0606XX09", "--group", "T1", "--close-date", DashboardCommandDates.inDays(3))
            #expect(refused.status == 65)
            #expect(refused.error.hasPrefix("annuaire : erreur : refusé : R5 : l'appartenance est clôturée depuis le 09/10/2019"), "\(refused.error)")
            var englishCLI = cli
            englishCLI.environment["LANG"] = "en_US.UTF-8"
            let inEnglish = await englishCLI("membership", "close", "XXX0606XX09", "--group", "T1", "--close-date", DashboardCommandDates.inDays(3))
            #expect(inEnglish.error.hasPrefix("annuaire: error: refused: R5: the membership has been closed since 09/10/2019"), "\(inEnglish.error)")
            let flag = await cli("membership", "close", "XXX0606XX09", "--group", "T1", "--close-date", DashboardCommandDates.inDays(3), "--lang", "en")
            #expect(flag.error.hasPrefix("annuaire: error: refused: R5:"), "\(flag.error)")
        }
    }
}
