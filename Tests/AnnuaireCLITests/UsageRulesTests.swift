import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Testing

/// R10: the usage rules and the legal warning live in the directory, are
/// readable before binding, and the CLI shows them at an account's first login.
@Suite("CLI: usage rules (R10)")
struct UsageRulesTests {
    @Test("annuaire rules reads them anonymously: the loi Godfrain warning; ldapsearch without a bind reads them too, but nothing else")
    func anonymousRules() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let rules = await CLI.runOnThread(["rules", "-H", server.url], environment: [:])
            #expect(rules.status == 0, "\(rules.error)")
            #expect(rules.output.contains("Règles d'usage"))
            #expect(rules.output.contains("réservé aux seules personnes habilitées"))
            #expect(rules.output.contains("loi Godfrain"))
            let json = try JSONReader.object((await CLI.runOnThread(["rules", "-H", server.url, "--format", "json"], environment: [:])).output)
            #expect((json["legalWarning"] as? String)?.contains("Loi n° 88-19 du 5 Janvier 1988") == true)

            let anonymous = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-H", server.url, "-b", "cn=legal-warning,ou=policies,dc=annuaire,dc=local", "-s", "base", "description",
            ])
            #expect(anonymous.status == 0, "\(anonymous.error)")
            #expect(anonymous.output.contains("dn: cn=legal-warning,ou=policies"))
            let policy = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-H", server.url, "-b", "cn=default,ou=policies,dc=annuaire,dc=local", "-s", "base",
            ])
            #expect(policy.status == 50, "\(policy.output)")
            let subtree = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-H", server.url, "-b", "ou=policies,dc=annuaire,dc=local", "-s", "sub",
            ])
            #expect(subtree.status == 50)
        }
    }

    @Test("the first command of an account shows the rules on stderr and remembers it; the second does not; another account sees them once too")
    func firstLogin() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let folder = try TestDirectory.makeTemporaryFolder("cli-rules")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var cli = CLI(server)
            cli.environment["XDG_CONFIG_HOME"] = folder
            let first = await cli("user", "list", "--format", "csv", "--csv-style", "rfc4180")
            #expect(first.status == 0)
            #expect(first.error.contains("loi Godfrain"), "\(first.error)")
            #expect(!first.output.contains("Godfrain"))
            let remembered = try String(contentsOfFile: folder + "/annuaire/acknowledged-rules", encoding: .utf8)
            #expect(remembered.contains("uid=xxx0606xx01,ou=people,dc=annuaire,dc=local"))
            let second = await cli("user", "list", "--format", "csv", "--csv-style", "rfc4180")
            #expect(!second.error.contains("Godfrain"))
            var other = CLI(server, as: "uid=operateur,ou=operators,dc=annuaire,dc=local")
            other.environment["XDG_CONFIG_HOME"] = folder
            #expect((await other("partner", "list")).error.contains("Godfrain"))
            var wrong = cli
            wrong.password = "wrong"
            let failed = await wrong("user", "list")
            #expect(failed.status == 67)
        }
    }
}
