import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// django-auth-ldap (PyPI), a real application library, with the settings of
/// docs/integrations/django-auth-ldap.md: Django's `authenticate()` logs in a
/// user habilitated for the application's service, mirrors its groups
/// (`MemberDNGroupType` on `member`) and refuses a user who is not
/// habilitated (R1), a closed user (R7) and a wrong password.
@Suite("Recipe: django-auth-ldap")
struct DjangoAuthLDAPRecipeTests {
    struct Attempt: Decodable {
        var authenticated: Bool
        var username: String?
        var email: String?
        var firstName: String?
        var lastName: String?
        var groups: [String]?
        var ldapDn: String?
        var reasons: [String]?
    }
    struct Report: Decodable {
        var habilitated: Attempt
        var wrongPassword: Attempt
        var outsider: Attempt
        var closed: Attempt
        var mirroredGroups: [String]
        var djangoUsers: [String]
    }

    @Test("Django logs in DUPUIS Martin with group T1 mirrored; the non-habilitated administrator, the closed user and a wrong password are refused")
    func djangoLogin() async throws {
        try await InteropProgram.requirePython(module: "django_auth_ldap", install: "python3 -m pip install django-auth-ldap")
        try await Recipe.withServer { server in
            let layout = server.directory.layout
            let django = try await ApplicationAccount.create(server, name: "django")
            let report = try await InteropProgram.run(
                Report.self, "python3", [Recipe.program("integrations", "django_auth_ldap_flow.py")],
                environment: [
                    "LDAP_URL": server.url, "APP_DN": django.dn, "APP_PASSWORD": django.password,
                    "USERS_BASE": layout.people, "GROUPS_BASE": layout.partners, "REQUIRED_GROUP": Recipe.t1Group,
                    "PASSWORD": Recipe.password, "HABILITATED": "XXX0606XX06",
                    "OUTSIDER": DemoDirectory.administratorIdentifier, "CLOSED": DemoDirectory.closedUserIdentifier,
                    "PYTHONDONTWRITEBYTECODE": "1",
                ])
            let allowed = report.habilitated
            #expect(allowed.authenticated, "refused: \(allowed.reasons ?? [])")
            #expect(allowed.username?.uppercased() == "XXX0606XX06")
            #expect(allowed.email == "m.dupuis@partenaire.fr")
            #expect(allowed.firstName == "Martin" && allowed.lastName == "DUPUIS")
            #expect(allowed.groups == ["T1"])
            #expect(allowed.ldapDn?.lowercased() == layout.user("XXX0606XX06").lowercased())
            #expect(report.mirroredGroups == ["T1"])

            #expect(!report.wrongPassword.authenticated)
            #expect(!report.outsider.authenticated, "the administrator is not habilitated for CDAP")
            #expect(!report.closed.authenticated, "the closed user XXX0606XX09")
            #expect(report.djangoUsers.map { $0.uppercased() } == ["XXX0606XX06"], "only the habilitated user may exist in Django: \(report.djangoUsers)")
        }
    }
}
