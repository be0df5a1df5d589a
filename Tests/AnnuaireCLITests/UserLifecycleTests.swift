import AnnuaireTestSupport
import Foundation
import Testing

/// R7 from the terminal: closing keeps the entry and shows "Désactivé" /
/// "Clôturé"; reopening gives the user back; R5 memberships with their dates.
@Suite("CLI: closing users, memberships, conventions")
struct UserLifecycleTests {
    @Test("user close shows the user Clôturé and Désactivé, refuses its bind (67); user reopen opens it again")
    func closeAndReopen() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let close = await cli("user", "close", "XXX0606XX11")
            #expect(close.status == 0, "\(close.error)")
            #expect(close.output.contains("Clôturé"), "\(close.output)")

            let row = await cli("user", "list", "--identifier", "XXX0606XX11")
            #expect(row.output.contains("Désactivé"))
            #expect(row.output.contains("Clôturé"))
            let json = try JSONReader.array((await cli("user", "list", "--identifier", "XXX0606XX11", "--format", "json")).output)
            #expect(json.first?["status"] as? String == "closed")
            #expect(json.first?["mail"] as? String == "x.lagare@partenaires.fr")

            let members = await cli("user", "list", "--group", "T1", "--format", "csv", "--csv-style", "rfc4180")
            #expect(!CSVReader.records(members.output).contains { $0["identifier"] == "XXX0606XX11" })

            let xavier = await CLI(server, as: "XXX0606XX11")("user", "show", "XXX0606XX11")
            #expect(xavier.status == 67)

            let reopen = await cli("user", "reopen", "XXX0606XX11")
            #expect(reopen.status == 0, "\(reopen.error)")
            #expect(reopen.output.contains("Ouvert"), "\(reopen.output)")
            let again = await cli("user", "reopen", "XXX0606XX11")
            #expect(again.status == 65)
        }
    }

    @Test("membership add, list and close: a second group for DUPUIS Martin, then closed, listed with its dates")
    func memberships() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            #expect(await cli("group", "create", "T1B", "--label", "CDAP T1 bis", "--responsible", "XXX0606XX01", "--role", "CDAP/T1").status == 0)
            let add = await cli("membership", "add", "XXX0606XX06", "--group", "T1B", "--open-date", "01/01/2026")
            #expect(add.status == 0, "\(add.error)")
            let listed = CSVReader.records((await cli("membership", "list", "--user", "XXX0606XX06", "--format", "csv", "--csv-style", "rfc4180")).output)
            #expect(listed.map { $0["group"] } == ["T1", "T1B"])
            #expect(listed.last?["openDate"] == "2026-01-01")

            let shown = try JSONReader.object((await cli("user", "show", "XXX0606XX06", "--format", "json")).output)
            #expect(Set(shown["groups"] as? [String] ?? []) == ["T1", "T1B"])

            let duplicate = await cli("membership", "add", "XXX0606XX06", "--group", "T1B")
            #expect(duplicate.status == 65, "\(duplicate.error)")

            let close = await cli("membership", "close", "XXX0606XX06", "--group", "T1B")
            #expect(close.status == 0, "\(close.error)")
            let after = CSVReader.records((await cli("membership", "list", "--group", "T1B", "--format", "csv", "--csv-style", "rfc4180")).output)
            #expect(after.count == 1)
            #expect(after.first?["status"] == "closed")
            let groups = try JSONReader.object((await cli("user", "show", "XXX0606XX06", "--format", "json")).output)
            #expect(groups["groups"] as? [String] == ["T1"])
        }
    }

    @Test("convention list and show: CONV-0606-001 of PART0606 grants CDAP/T1 and holds group T1")
    func conventions() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let list = await cli("convention", "list")
            #expect(list.status == 0, "\(list.error)")
            #expect(list.output.contains("CONV-0606-001"))
            #expect(list.output.contains("CDAP/T1"))
            let show = try JSONReader.object((await cli("convention", "show", "CONV-0606-001", "--format", "json")).output)
            #expect(show["partner"] as? String == "PART0606")
            #expect(show["grantedProfiles"] as? [String] == ["CDAP/T1"])
            #expect(show["groups"] as? [String] == ["T1"])
            #expect(show["openDate"] as? String == "2017-01-01")
            let groups = await cli("group", "list", "--format", "csv", "--csv-style", "rfc4180")
            #expect(CSVReader.records(groups.output).map { $0["code"] } == ["T1"])
        }
    }

    @Test("user reset-password mails a temporary password (never printed); user resend-identifier mails the identifier; a person cannot (66: the colleague is out of its sight)")
    func passwordAndIdentifierMails() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let reset = await cli("user", "reset-password", "XXX0606XX10")
            #expect(reset.status == 0, "\(reset.error)")
            #expect(reset.output.contains("envoyé par mail"))
            let resend = await cli("user", "resend-identifier", "XXX0606XX10")
            #expect(resend.status == 0, "\(resend.error)")
            let mails = try server.maildir.delivered().filter { $0.contains("To: l.durand@partenaire.fr") }
            #expect(mails.count == 2)
            #expect(mails.contains { $0.contains("mot de passe temporaire pour") })
            let passwordLine = try #require(mails.lazy.flatMap { $0.split(separator: "\r\n") }.first { $0.contains("mot de passe temporaire pour") })
            let password = String(try #require(passwordLine.split(separator: " ").last))
            #expect(password.count == 16)
            #expect(!reset.output.contains(password) && !reset.error.contains(password))
            // A colleague is out of a person's sight: the answer of a missing user (R8).
            let refused = await CLI(server, as: "XXX0606XX06")("user", "resend-identifier", "XXX0606XX10")
            #expect(refused.status == 66, "\(refused.error)")
        }
    }
}
