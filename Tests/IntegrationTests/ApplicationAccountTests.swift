import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// Item 2 of issue #7: the application accounts the recipes bind with are
/// created by the operator with `annuaire application create` and are scoped
/// to their service (R8): they read the users holding a profile of it and the
/// groups giving roles on it, compare only what they can read, and write nothing.
@Suite("Application accounts created with the CLI (R8)")
struct ApplicationAccountTests {
    static func search(_ server: TestServer, as account: ApplicationAccount, base: String, _ filter: String, _ attribute: String) async throws -> [String] {
        let result = try await CommandLineTool.run("ldapsearch", [
            "-x", "-LLL", "-o", "ldif-wrap=no", "-H", server.url, "-D", account.dn, "-w", account.password, "-b", base, filter, attribute,
        ])
        try #require(result.status == 0, "ldapsearch as \(account.name): \(result.error)")
        return result.output.split(separator: "\n").filter { $0.hasPrefix("\(attribute): ") }.map { String($0.dropFirst(attribute.count + 2)) }.sorted()
    }

    @Test("the operator creates the apache account for CDAP: it sees exactly the 5 users habilitated for CDAP and group T1, compares T1's member, and cannot write")
    func apacheAccountIsScopedToItsService() async throws {
        try await Recipe.withServer { server in
            let layout = server.directory.layout
            let apache = try await ApplicationAccount.create(server, name: "apache")
            #expect(apache.dn == "uid=apache,\(layout.operators)")
            let people = try await Self.search(server, as: apache, base: layout.suffix, "(objectClass=inetOrgPerson)", "uid")
            #expect(people == (Recipe.habilitatedForCDAP + ["apache"]).sorted())
            let groups = try await Self.search(server, as: apache, base: layout.partners, "(objectClass=*)", "cn")
            #expect(groups == ["T1"])

            // Compare (what `Require ldap-group` sends): a member is TRUE (6), a non-member FALSE (5),
            // an entry the account cannot read does not exist for it (32).
            func compare(_ dn: String, _ assertion: String) async throws -> Int32 {
                try await CommandLineTool.run("ldapcompare", ["-x", "-H", server.url, "-D", apache.dn, "-w", apache.password, dn, assertion]).status
            }
            #expect(try await compare(Recipe.t1Group, "member:\(layout.user("XXX0606XX06"))") == 6)
            #expect(try await compare(Recipe.t1Group, "member:\(layout.user(DemoDirectory.administratorIdentifier))") == 5)
            #expect(try await compare(layout.user(DemoDirectory.administratorIdentifier), "sn:MOREAU") == 32)
            #expect(try await compare(layout.user("XXX0606XX06"), "sn:DUPUIS") == 6)

            let write = try await CommandLineTool.run(
                "ldapmodify", ["-x", "-H", server.url, "-D", apache.dn, "-w", apache.password],
                input: "dn: \(layout.user("XXX0606XX06"))\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 06 00 00 00 09\n")
            #expect(write.status == 50, "\(write.error)")
        }
    }

    @Test("an account for Espace Bailleur sees no user (nobody holds its profile); application list shows both accounts and their services")
    func accountForAnotherServiceSeesNobody() async throws {
        try await Recipe.withServer { server in
            let layout = server.directory.layout
            _ = try await ApplicationAccount.create(server, name: "apache")
            let bailleur = try await ApplicationAccount.create(server, name: "portail-bailleur", service: "BAILLEUR")
            let people = try await Self.search(server, as: bailleur, base: layout.people, "(objectClass=inetOrgPerson)", "uid")
            #expect(people.isEmpty, "\(people)")
            let groups = try await Self.search(server, as: bailleur, base: layout.partners, "(objectClass=annGroup)", "cn")
            #expect(groups.isEmpty)

            let list = await AnnuaireCommand.run(
                ["application", "list", "--format", "csv", "--csv-style", "rfc4180", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName)],
                environment: ["ANNUAIRE_PASSWORD": Recipe.password])
            #expect(list.status == 0, "\(list.error)")
            let lines = list.output.split(whereSeparator: \.isNewline).map(String.init)
            #expect(lines.first == "name,bindDN,services,description")
            #expect(lines.dropFirst().contains { $0.hasPrefix("apache,\"uid=apache,\(layout.operators)\",CDAP,") }, "\(lines)")
            #expect(lines.dropFirst().contains { $0.hasPrefix("portail-bailleur,\"uid=portail-bailleur,\(layout.operators)\",BAILLEUR,") }, "\(lines)")
        }
    }

    @Test("only the operator creates application accounts (77 for the partner administrator); an unknown service is 66, a short password 64")
    func creationIsTheOperators() async throws {
        try await Recipe.withServer { server in
            let layout = server.directory.layout
            let folder = try Recipe.temporaryFolder("app")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let good = try Recipe.writeSecret(Recipe.randomSecret() + "\n", folder: folder, name: "good.secret")
            let short = try Recipe.writeSecret("Court-2026\n", folder: folder, name: "short.secret")
            func create(_ name: String, service: String, file: String, as bindDN: String) async -> AnnuaireCommand.Result {
                await AnnuaireCommand.run(
                    ["application", "create", "--name", name, "--service", service, "--account-password-file", file, "-H", server.url, "-D", bindDN],
                    environment: ["ANNUAIRE_PASSWORD": Recipe.password])
            }
            let byAdministrator = await create("intrus", service: "CDAP", file: good, as: layout.user(DemoDirectory.administratorIdentifier))
            #expect(byAdministrator.status == 77, "\(byAdministrator.status): \(byAdministrator.error)")
            let operatorDN = layout.operatorAccount(DemoDirectory.operatorName)
            let unknown = await create("inconnu", service: "NOPE", file: good, as: operatorDN)
            #expect(unknown.status == 66, "\(unknown.status): \(unknown.error)")
            let weak = await create("faible", service: "CDAP", file: short, as: operatorDN)
            #expect(weak.status == 64, "\(weak.status): \(weak.error)")
            #expect(!weak.error.contains("Court-2026"), "the password must not be echoed")
        }
    }
}
