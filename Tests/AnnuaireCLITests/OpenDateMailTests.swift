import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// Issue #16, item 1, as a partner administrator does it with the CLI (R4,
/// R6): a user created with an open date tomorrow gets its identifier at
/// once and its temporary password on its open date, so that the 24 hours
/// start when the account opens; the person then changes it within 24 hours.
@Suite("First password on the open date, through the CLI (R6)")
struct OpenDateMailTests {
    @Test("user create --open-date tomorrow: the identifier mail now, saying when the password comes; the password mail on the open date (controlled clock); changed 23 hours later, the new password works")
    func passwordMailedOnOpenDate() async throws {
        // The manual clock runs a day behind: "tomorrow" for it is today for slapd, which enforces pwdStartTime on the real clock.
        let today = GeneralizedTime.startOfDay(Date())
        let clock = ManualClock(today.addingTimeInterval(-12 * 3600))
        try await TestServer.with(clock: clock) { server in
            let cli = CLI(server)
            let openDate = GeneralizedTime.display(today)
            let created = await cli(
                "user", "create", "--last-name", "LAGARE", "--first-name", "Xavier", "--mail", "x.lagare@partenaires.fr",
                "--mail-confirmation", "x.lagare@partenaires.fr", "--group", "T1", "--work-mode", "sedentaire", "--open-date", openDate,
                "--format", "json")
            #expect(created.status == 0, "\(created.output)\(created.error)")
            let shown = try #require(try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any])
            let identifier = try #require(shown["identifier"] as? String)
            let dn = "uid=\(identifier),ou=people,dc=annuaire,dc=local"

            // Now: the identifier only, announcing the password for the open date.
            let mails = try server.maildir.delivered()
            #expect(mails.count == 1, "\(mails)")
            #expect(mails.first?.contains(identifier) == true)
            #expect(mails.first?.contains("Votre compte ouvrira le \(openDate)") == true, "\(mails)")
            #expect(throws: (any Error).self) { try server.mailedTemporaryPassword(to: "x.lagare@partenaires.fr") }
            #expect(await server.habilitations.passwords.drainOutbox() == 0, "before the open date the job waits")

            // The open date: the password mail goes.
            clock.set(today.addingTimeInterval(60))
            #expect(await server.habilitations.passwords.drainOutbox() == 1)
            let temporary = try server.mailedTemporaryPassword(to: "x.lagare@partenaires.fr")

            // 23 hours later it still opens a session, which changes it; the new one then works with the CLI.
            clock.advance(by: 23 * 3600)
            let change = try await CommandLineTool.run(
                "ldappasswd", ["-x", "-H", server.url, "-D", dn, "-w", temporary, "-a", temporary, "-s", "Nouveau-Mot-2026!"])
            #expect(change.status == 0, "\(change.output)\(change.error)")
            var person = CLI(server, as: dn)
            person.password = "Nouveau-Mot-2026!"
            let own = await person("user", "show", identifier)
            #expect(own.status == 0, "\(own.output)\(own.error)")
            #expect(own.output.contains("LAGARE"))
        }
    }
}
