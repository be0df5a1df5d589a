import AnnuaireTestSupport
import Foundation
import Testing

/// Failures reach the terminal with the server's diagnostic (the rule named)
/// and distinct exit codes: 64 usage, 65 rule violation, 66 not found,
/// 67 authentication, 69 connection, 74 unreadable file, 77 refused access.
@Suite("CLI: errors and exit codes")
struct ExitCodeTests {
    @Test("two different e-mail addresses exit 65 with R4 named; a profile the convention does not grant exits 65 with R3 named")
    func ruleViolations() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let mails = await cli(
                "user", "create", "--last-name", "LAGARE", "--first-name", "Xavier", "--mail", "x.lagare@partenaires.fr",
                "--mail-confirmation", "x.lagarde@partenaires.fr", "--group", "T1", "--work-mode", "sedentary")
            #expect(mails.status == 65)
            #expect(mails.error.contains("R4 : les deux adresses mail diffèrent"), "\(mails.error)")
            #expect(mails.output.isEmpty)

            let role = await cli("group", "create", "SUP", "--label", "Supervision", "--responsible", "XXX0606XX01", "--role", "SUPDGFIP/SUPERVISEUR")
            #expect(role.status == 65)
            #expect(role.error.contains("R3 : le profil cn=SUPERVISEUR,cn=SUPDGFIP"), "\(role.error)")

            let shared = await cli(
                "user", "create", "--last-name", "ACCUEIL", "--first-name", "Mairie", "--mail", "contact@partenaire.fr",
                "--mail-confirmation", "contact@partenaire.fr", "--group", "T1", "--work-mode", "sedentary")
            #expect(shared.status == 65)
            #expect(shared.error.contains("R4 :"), "\(shared.error)")
        }
    }

    @Test("a plain user closing a colleague gets 66: a colleague is out of its sight, as a missing user is (R8)")
    func refusedAccess() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let martin = CLI(server, as: "uid=XXX0606XX06,ou=people,dc=annuaire,dc=local")
            let close = await martin("user", "close", "XXX0606XX07")
            #expect(close.status == 66, "\(close.status) \(close.error)")
            #expect(close.error.contains("introuvable"), "\(close.error)")
            let stillOpen = await CLI(server)("user", "show", "XXX0606XX07", "--format", "json")
            #expect(try JSONReader.object(stillOpen.output)["status"] as? String == "open")
        }
    }

    @Test("a wrong password exits 67, a closed account exits 67, an unreachable server 69, an unknown user 66, usage errors 64, an unreadable password file 74")
    func otherFailures() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            var wrong = CLI(server)
            wrong.password = "wrong"
            let badPassword = await wrong("user", "list")
            #expect(badPassword.status == 67)
            #expect(badPassword.error.contains("échec de l'authentification"), "\(badPassword.error)")
            #expect(!badPassword.error.contains("wrong"))

            let closed = await CLI(server, as: "XXX0606XX09")("user", "show", "XXX0606XX09")
            #expect(closed.status == 67, "\(closed.error)")

            var unreachable = CLI(server)
            unreachable.url = "ldap://127.0.0.1:1"
            let down = await unreachable("user", "list")
            #expect(down.status == 69, "\(down.error)")

            let unknown = await CLI(server)("user", "show", "XXX0606XX99")
            #expect(unknown.status == 66, "\(unknown.error)")

            let missingFlag = await CLI(server)("user", "create", "--last-name", "X")
            #expect(missingFlag.status == 64)
            let badDate = await CLI(server)("user", "close", "XXX0606XX07", "--close-date", "yesterday-ish")
            #expect(badDate.status == 64, "\(badDate.error)")
            let noBindDN = await CLI.runOnThread(["user", "list", "-H", server.url], environment: ["ANNUAIRE_PASSWORD": "x"])
            #expect(noBindDN.status == 64)
            #expect(noBindDN.error.contains("DN de connexion"))
            let noPassword = await CLI.runOnThread(["user", "list", "-H", server.url, "-D", "XXX0606XX01"], environment: [:])
            #expect(noPassword.status == 64)

            let missingFile = await CLI(server)("user", "list", "--password-file", "/nonexistent/password")
            #expect(missingFile.status == 74)
        }
    }

    @Test("the password comes from --password-file and the bind DN from LDAPBINDDN, the URI from LDAPURI")
    func settingsFromFileAndEnvironment() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let folder = try TestDirectory.makeTemporaryFolder("cli-password")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/password"
            try (DemoPassword.value + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let result = await CLI.runOnThread(
                ["convention", "list", "--password-file", file, "--format", "csv", "--csv-style", "rfc4180"],
                environment: ["LDAPURI": server.url, "LDAPBINDDN": CLI.administrator, "LDAPBASE": "dc=annuaire,dc=local"])
            #expect(result.status == 0, "\(result.error)")
            #expect(CSVReader.records(result.output).map { $0["number"] } == ["CONV-0606-001"])
        }
    }
}
