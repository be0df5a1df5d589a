import AnnuaireTestSupport
import Foundation
import Testing

/// The tutorial's walkthrough from the terminal, as the demo partner
/// administrator (MOREAU Sophie, XXX0606XX01): create a group with its role
/// (R2, R3), create a user in it (R4), find him in the group's list.
@Suite("CLI: the tutorial walkthrough")
struct TutorialWalkthroughTests {
    @Test("group create T1B, user create LAGARE Xavier prints the generated identifier XXX0606XX12, user list --group T1B shows him")
    func walkthrough() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let group = await cli("group", "create", "T1B", "--label", "CDAP T1 bis", "--responsible", "XXX0606XX01", "--role", "CDAP/T1")
            #expect(group.status == 0, "\(group.error)")
            #expect(group.output.contains("Groupe T1B « CDAP T1 bis » créé dans la convention CONV-0606-001"), "\(group.output)")

            let shown = await cli("group", "show", "T1B", "--format", "json")
            #expect(shown.status == 0, "\(shown.error)")
            let groupObject = try JSONReader.object(shown.output)
            #expect(groupObject["code"] as? String == "T1B")
            #expect(groupObject["label"] as? String == "CDAP T1 bis")
            #expect(groupObject["level"] as? String == "1")
            #expect(groupObject["roles"] as? [String] == ["CDAP/T1"])
            #expect(groupObject["responsible"] as? String == "XXX0606XX01")
            #expect(groupObject["status"] as? String == "open")

            let user = await cli(
                "user", "create", "--last-name", "LAGARE", "--first-name", "Xavier",
                "--mail", "x.lagare2@partenaires.fr", "--mail-confirmation", "x.lagare2@partenaires.fr",
                "--phone", "07 00 02 00 00", "--phone-confirmation", "07 00 02 00 00",
                "--group", "T1B", "--work-mode", "itinerant")
            #expect(user.status == 0, "\(user.error)")
            #expect(user.output.contains("identifiant XXX0606XX12"), "\(user.output)")

            let table = await cli("user", "list", "--group", "T1B")
            #expect(table.status == 0, "\(table.error)")
            let lines = table.output.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("Identifiant") == true)
            for header in ["Nom", "Prénom", "Adresse mail", "Téléphone", "Date d'ouverture", "Date de clôture", "Statut"] {
                #expect(lines.first?.contains(header) == true, "missing column \(header)")
            }
            #expect(lines.count == 2, "\(table.output)")
            #expect(lines.last?.contains("XXX0606XX12") == true)
            #expect(lines.last?.contains("LAGARE") == true)
            #expect(lines.last?.contains("x.lagare2@partenaires.fr") == true)
            #expect(lines.last?.contains("Ouvert") == true)

            let json = await cli("user", "list", "--group", "T1B", "--format", "json")
            let users = try JSONReader.array(json.output)
            #expect(users.count == 1)
            #expect(users.first?["identifier"] as? String == "XXX0606XX12")
            #expect(users.first?["firstName"] as? String == "Xavier")
            #expect(users.first?["telephone"] as? String == "07 00 02 00 00")
            #expect(users.first?["status"] as? String == "open")

            let detail = await cli("user", "show", "XXX0606XX12", "--format", "json")
            let shownUser = try JSONReader.object(detail.output)
            #expect(shownUser["groups"] as? [String] == ["T1B"])
            #expect(shownUser["habilitations"] as? [String] == ["CDAP/T1"])
            #expect(shownUser["workMode"] as? String == "itinerant")
        }
    }

    @Test("user list filters as the portal does and formats CSV that parses back; the closed BELGACEM shows Désactivé and Clôturé")
    func listingsAndFormats() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let csv = await cli("user", "list", "--last-name", "DUP", "--format", "csv", "--csv-style", "rfc4180")
            #expect(csv.status == 0, "\(csv.error)")
            let records = CSVReader.records(csv.output)
            #expect(records.map { $0["identifier"] } == ["XXX0606XX06", "XXX0606XX08"])
            #expect(records.first?["lastName"] == "DUPUIS")
            #expect(records.last?["firstName"] == "Noémie")
            #expect(records.first?["openDate"] == "2021-07-20")

            let members = await cli("user", "list", "--group", "T1", "--format", "csv", "--csv-style", "rfc4180")
            #expect(CSVReader.records(members.output).map { $0["identifier"] } == ["XXX0606XX06", "XXX0606XX07", "XXX0606XX08", "XXX0606XX10", "XXX0606XX11"])

            let closed = await cli("user", "list", "--identifier", "XXX0606XX09")
            #expect(closed.status == 0, "\(closed.error)")
            let row = closed.output.split(separator: "\n").last.map(String.init) ?? ""
            #expect(row.contains("BELGACEM"))
            #expect(row.contains("Désactivé"))
            #expect(row.contains("Clôturé"))
            #expect(row.contains("09/10/2019"))
            #expect(!row.contains("k.belgacem@partenaire.fr"))

            let firstName = await cli("user", "list", "--first-name", "Justine", "--format", "ldif")
            #expect(firstName.output.hasPrefix("dn: uid=XXX0606XX07,ou=people,dc=annuaire,dc=local\n"))
            #expect(firstName.output.contains("sn: LACROIX\n"))
        }
    }
}
