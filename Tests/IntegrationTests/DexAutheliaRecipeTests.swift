import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// Dex's and Authelia's LDAP connectors (docs/integrations/dex.md,
/// authelia.md), played by python ldap3 with their exact filters: the
/// application account finds exactly one user, the user's bind checks the
/// password, `(member=<DN>)` gives the groups; a closed user (R7) disappears
/// from the user search and the group search, and its bind is refused.
@Suite("Recipe: Dex / Authelia (python ldap3)")
struct DexAutheliaRecipeTests {
    struct Report: Decodable {
        struct Search: Decodable {
            var result: Int?
            var count: Int
            var dns: [String]
            var mail: [String]
            var memberOf: [String]
        }
        struct Bind: Decodable {
            var bound: Bool
            var result: Int?
        }
        struct Groups: Decodable {
            var result: Int?
            var dns: [String]
            var names: [String]
        }
        var appBound: Bool
        var userSearch: Search
        var outsiderSearch: Search
        var userBind: Bind?
        var wrongPasswordBind: Bind?
        var groups: Groups?
        var closeResult: Int?
        var closeMessage: String?
        var statusAfterClose: [String]?
        var userSearchAfterClose: Search?
        var userBindAfterClose: Bind?
        var groupsAfterClose: Int?
    }

    @Test("the user search finds exactly one entry, its bind works, (member=DN) gives group T1; the administrator's closing makes the user vanish from both searches and refuses its bind")
    func dexAutheliaFlow() async throws {
        try await InteropProgram.requirePython(module: "ldap3", install: "python3 -m pip install ldap3")
        try await Recipe.withServer { server in
            let layout = server.directory.layout
            let dex = try await ApplicationAccount.create(server, name: "dex")
            let user = "XXX0606XX06"
            let report = try await InteropProgram.run(
                Report.self, "python3", [Recipe.program("integrations", "dex_authelia.py")],
                environment: [
                    "LDAP_URL": server.url, "APP_DN": dex.dn, "APP_PASSWORD": dex.password,
                    "USERS_BASE": layout.people, "GROUPS_BASE": layout.partners,
                    "USERNAME": user, "USER_PASSWORD": Recipe.password, "OUTSIDER": DemoDirectory.administratorIdentifier,
                    "ADMIN_DN": layout.user(DemoDirectory.administratorIdentifier), "ADMIN_PASSWORD": Recipe.password,
                    "PYTHONDONTWRITEBYTECODE": "1",
                ])
            #expect(report.appBound)
            // Allowed: exactly one entry, the right one, with its mail and memberOf.
            #expect(report.userSearch.result == 0)
            #expect(report.userSearch.dns == [layout.user(user)])
            #expect(report.userSearch.mail == ["m.dupuis@partenaire.fr"])
            #expect(report.userSearch.memberOf.map { $0.lowercased() } == [Recipe.t1Group.lowercased()])
            #expect(report.userBind?.bound == true && report.userBind?.result == 0, "\(String(describing: report.userBind))")
            #expect(report.wrongPasswordBind?.bound == false && report.wrongPasswordBind?.result == 49)
            #expect(report.groups?.result == 0)
            #expect(report.groups?.names == ["T1"])
            #expect(report.groups?.dns.map { $0.lowercased() } == [Recipe.t1Group.lowercased()])
            // Refused: the administrator is not habilitated for CDAP, so the application does not find her.
            #expect(report.outsiderSearch.result == 0)
            #expect(report.outsiderSearch.count == 0, "\(report.outsiderSearch.dns)")
            // R7: closed, the user disappears.
            #expect(report.closeResult == 0, "closing: \(report.closeMessage ?? "")")
            #expect(report.statusAfterClose == ["closed"])
            #expect(report.userSearchAfterClose?.result == 0)
            #expect(report.userSearchAfterClose?.count == 0, "\(report.userSearchAfterClose?.dns ?? [])")
            #expect(report.groupsAfterClose == 0)
            #expect(report.userBindAfterClose?.bound == false && report.userBindAfterClose?.result == 49)
        }
    }
}
