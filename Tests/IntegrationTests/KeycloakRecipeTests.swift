import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// Keycloak's LDAP user federation (docs/integrations/keycloak.md), replayed
/// in JNDI as Keycloak does it: paged full sync as the application account,
/// registration in WRITABLE mode with the entryUUID read back, the
/// changed-users sync filter, the bind with the password policy control
/// answering changeAfterReset for a temporary password (R6), the "update
/// password" step by Password Modify, and both group mapper modes.
@Suite("Recipe: Keycloak LDAP federation (JNDI)")
struct KeycloakRecipeTests {
    struct Paged: Decodable {
        var pageEntries: [Int]
        var uids: [String]
        var error: String?
    }
    struct Add: Decodable {
        var added: Bool
        var error: String?
        var entryUuid: String?
        var createTimestamp: String?
    }
    struct Outcome: Decodable {
        var ok: Bool
        var code: Int?
        var message: String?
    }
    struct Register: Decodable {
        var paged: Paged
        var add: Add
        var changed: [String]
        var adminSetPassword: Outcome
        var adminReset: Outcome
    }
    struct Bind: Decodable {
        var bound: Bool
        var ppolicyControl: Bool?
        var ppolicyError: String?
        var code: Int?
        var message: String?
    }
    struct Groups: Decodable {
        var memberOfAttribute: [String]
        var groupMemberAttribute: [String]
        var usersByMemberOf: [String]
        var groupsByMember: [String]
    }
    struct Login: Decodable {
        var temporaryBind: Bind
        var selfChange: Outcome
        var newPasswordBind: Bind
        var temporaryAfterChange: Bind
        var groups: Groups
    }

    @Test("paged sync, add + entryUUID, changed-users sync, ppolicy changeAfterReset, Password Modify, groups by memberOf and by member")
    func keycloakFederation() async throws {
        try await InteropProgram.requireJava()
        try await Recipe.withServer { server in
            let layout = server.directory.layout
            let keycloak = try await ApplicationAccount.create(server, name: "keycloak")
            // T for the changed-users sync: a second after everything the demo wrote.
            try await Task.sleep(for: .milliseconds(1100))
            let since = GeneralizedTime.string(Date())
            let source = Recipe.program("integrations", "KeycloakFederation.java")
            let newUID = "kc.federated"
            let newMail = "k.federated@partenaire.fr"
            let member = layout.user("XXX0606XX06")
            var environment = [
                "LDAP_URL": server.url, "APP_DN": keycloak.dn, "APP_PASSWORD": keycloak.password,
                "OPERATOR_DN": layout.operatorAccount(DemoDirectory.operatorName), "OPERATOR_PASSWORD": Recipe.password,
                "USERS_BASE": layout.people, "GROUPS_BASE": layout.partners, "GROUP_DN": Recipe.t1Group, "MEMBER_DN": member,
                "PAGE_SIZE": "2", "SYNC_SINCE": since, "NEW_UID": newUID, "NEW_MAIL": newMail,
            ]
            environment["PHASE"] = "register"
            let register = try await InteropProgram.run(Register.self, "java", [source], environment: environment)

            // Full sync: the application account pages through exactly the users habilitated for CDAP.
            #expect(register.paged.error == nil, "\(register.paged.error ?? "")")
            #expect(register.paged.uids == Recipe.habilitatedForCDAP)
            #expect(register.paged.pageEntries == [2, 2, 1])
            // Registration: the entry exists with a UUID Keycloak can keep as LDAP_ID.
            #expect(register.add.added, "\(register.add.error ?? "")")
            let uuid = try #require(register.add.entryUuid)
            #expect(UUID(uuidString: uuid) != nil, "entryUUID \(uuid) is not a UUID")
            #expect(register.add.createTimestamp != nil)
            // Changed-users sync since T: the new user only, not the demo's.
            #expect(register.changed == [newUID])
            // Keycloak's admin-chosen password is refused (R6), the reset is mailed.
            #expect(!register.adminSetPassword.ok)
            #expect(register.adminSetPassword.code == 53, "\(register.adminSetPassword.message ?? "")")
            #expect(register.adminReset.ok, "\(register.adminReset.message ?? "")")

            let temporary = try TemporaryPasswords.mailed(in: server, to: newMail)
            environment["PHASE"] = "login"
            environment["TEMPORARY_PASSWORD"] = temporary
            environment["NEW_PASSWORD"] = "Nouveau-Secret-2026!"
            let login = try await InteropProgram.run(Login.self, "java", [source], environment: environment)

            #expect(login.temporaryBind.bound, "\(login.temporaryBind.message ?? "")")
            #expect(login.temporaryBind.ppolicyControl == true)
            #expect(login.temporaryBind.ppolicyError == "changeAfterReset")
            #expect(login.selfChange.ok, "\(login.selfChange.message ?? "")")
            #expect(login.newPasswordBind.bound, "\(login.newPasswordBind.message ?? "")")
            #expect(login.newPasswordBind.ppolicyError == nil)
            #expect(!login.temporaryAfterChange.bound)
            #expect(login.temporaryAfterChange.code == 49)

            let groups = login.groups
            #expect(groups.memberOfAttribute.map { $0.lowercased() } == [Recipe.t1Group.lowercased()])
            #expect(groups.groupMemberAttribute.map { $0.lowercased() } == Recipe.habilitatedForCDAP.map { layout.user($0).lowercased() })
            #expect(groups.usersByMemberOf == Recipe.habilitatedForCDAP)
            #expect(groups.groupsByMember == ["T1"])
        }
    }
}
