import AnnuaireTestSupport
import Foundation
import Habilitations
@testable import Portal
import Testing

/// The operator's screens over real HTTPS, driven with curl: partner types,
/// partners, services and profiles, a convention and the profiles it grants,
/// its administrators, application accounts (an account created here then
/// binds with its password); and a partner administrator who sees none of
/// these menu entries and whose posts the server refuses (R8).
@Suite(.serialized) struct PortalOperatorHTTPTests {
    typealias HTTP = PortalHTTPTests

    static func login(_ portal: RunningPortal, _ identifier: String) async throws -> (jar: String, csrf: String) {
        let jar = try HTTP.jar()
        let login = try await HTTP.login(portal, jar: jar, identifier: identifier, password: DemoDirectory.password)
        try #require(login.status == 303)
        let csrf = try #require(try await HTTP.curl(portal.url + "/accueil", jar: jar).csrf)
        return (jar, csrf)
    }

    @Test func theOperatorBuildsTheCatalogue() async throws {
        try await HTTP.withPortal { server, portal in
            let (jar, csrf) = try await Self.login(portal, DemoDirectory.operatorName)
            let welcome = try await HTTP.curl(portal.url + "/accueil", jar: jar)
            for path in ["/organismes", "/types-partenaires", "/services", "/administrateurs", "/applications", "/tableaux-de-bord", "/internes"] {
                #expect(welcome.body.contains("href=\"\(path)\""), "the operator's menu has \(path)")
            }
            func post(_ path: String, _ form: [String: String]) async throws -> HTTP.Answer {
                try await HTTP.curl(portal.url + path, jar: jar, form: form.merging(["csrf": csrf]) { a, _ in a })
            }
            #expect(try await post("/types-partenaires", ["code": "BAILLEUR", "label": "Bailleur social"]).status == 303)
            let types = try await HTTP.curl(portal.url + "/types-partenaires", jar: jar)
            #expect(types.body.contains("<td>BAILLEUR</td><td>Bailleur social</td>"))
            let taken = try await post("/types-partenaires", ["code": "BAILLEUR", "label": "Encore"])
            #expect(taken.status == 400)
            #expect(taken.body.contains("id=\"code-erreur\""))

            #expect(try await post("/organismes", ["code": "PART0607", "label": "Habitat 06", "type": "BAILLEUR", "mail": "contact@habitat06.fr"]).status == 303)
            #expect(try await post("/services", ["code": "ESPB", "label": "Espace bailleur"]).status == 303)
            #expect(try await post("/services/profils", ["service": "ESPB", "profileCode": "GEST", "profileLabel": "Gestionnaire"]).status == 303)
            let services = try await HTTP.curl(portal.url + "/services", jar: jar)
            #expect(services.body.contains("GEST – Gestionnaire"))

            let profile = "cn=GEST,cn=ESPB,\(server.directory.layout.services)"
            let created = try await post("/conventions/nouvelle", ["partner": "PART0607", "number": "CONV-0607-001", "label": "Habitat 06", "openDate": "01/01/2026", "profiles": profile])
            #expect(created.status == 303, "\(created.body)")
            #expect(created.header("location") == ["/conventions/detail?convention=CONV-0607-001"])
            let detail = try await HTTP.curl(portal.url + "/conventions/detail?convention=CONV-0607-001", jar: jar)
            #expect(detail.body.contains("<td>ESPB/GEST</td>"))
            let partners = try await HTTP.curl(portal.url + "/organismes", jar: jar)
            #expect(partners.body.contains("PART0607"))
            #expect(partners.body.contains("CONV-0607-001"))

            // The demo convention: a profile granted then withdrawn, an administrator named then removed.
            #expect(try await post("/conventions/profils/accorder", ["convention": "CONV-0606-001", "profile": profile]).status == 303)
            let granted = try await HTTP.curl(portal.url + "/conventions/detail?convention=CONV-0606-001", jar: jar)
            #expect(granted.body.contains("<td>ESPB/GEST</td>"))
            #expect(try await post("/conventions/profils/retirer", ["convention": "CONV-0606-001", "profile": profile]).status == 303)
            let withdrawn = try await HTTP.curl(portal.url + "/conventions/detail?convention=CONV-0606-001", jar: jar)
            #expect(!withdrawn.body.contains("<td>ESPB/GEST</td>"))
            #expect(try await post("/conventions/administrateurs/ajouter", ["convention": "CONV-0606-001", "identifiant": "XXX0606XX06"]).status == 303)
            let administrators = try await HTTP.curl(portal.url + "/administrateurs", jar: jar)
            #expect(administrators.body.contains("<td>XXX0606XX06</td>"))
            let outsider = try await post("/conventions/administrateurs/ajouter", ["convention": "CONV-0607-001", "identifiant": "XXX0606XX07"])
            #expect(outsider.status == 400, "an administrator is one of the convention's users")
            #expect(outsider.body.contains("(R8)"))
            #expect(try await post("/conventions/administrateurs/retirer", ["convention": "CONV-0606-001", "identifiant": "XXX0606XX06"]).status == 303)

            // An application account, whose password is typed twice and binds afterwards.
            let secret = "Appli-Secret-0123456789"
            let mismatch = try await post("/applications", ["name": "espace-bailleur", "services": "ESPB", "password": secret, "passwordConfirmation": secret + "x"])
            #expect(mismatch.status == 400)
            #expect(!mismatch.body.contains(secret), "a password never comes back in a page")
            #expect(try await post("/applications", ["name": "espace-bailleur", "services": "ESPB", "password": secret, "passwordConfirmation": secret]).status == 303)
            let applications = try await HTTP.curl(portal.url + "/applications", jar: jar)
            #expect(applications.body.contains("<td>espace-bailleur</td>"))
            #expect(!applications.body.contains(secret))
            // Mes utilisateurs en internes: a staff account, its temporary password mailed, changed at first login (R6).
            let staff = try await post("/internes", ["identifier": "agent.dupre", "sn": "DUPRÉ", "givenName": "Anne", "mail": "anne.dupre@caf.example.fr"])
            #expect(staff.status == 303)
            let internes = try await HTTP.curl(portal.url + "/internes", jar: jar)
            #expect(internes.body.contains("<td>agent.dupre</td>"))
            #expect(Self.unescapedNotice(internes.body).contains("un mot de passe provisoire est envoyé à anne.dupre@caf.example.fr"), "\(HTTP.mainText(internes.body))")
            let temporary = try server.mailedTemporaryPassword(to: "anne.dupre@caf.example.fr")
            let first = try await HTTP.login(portal, jar: try HTTP.jar(), identifier: "agent.dupre", password: temporary)
            #expect(first.header("location") == ["/mot-de-passe/changer"])
            let bind = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", "uid=espace-bailleur,\(server.directory.layout.operators)", "-w", secret])
            #expect(bind.status == 0, "the application binds with its password: \(bind.error)")
        }
    }

    static func unescapedNotice(_ body: String) -> String {
        body.replacingOccurrences(of: "&#39;", with: "'")
    }

    /// The operator sees every convention: one page of the server's paged results at a time (RFC 2696).
    @Test func theOperatorsConventionsArePaged() async throws {
        try await HTTP.withPortal(configure: { $0.conventionsPageSize = 1 }) { server, portal in
            try await SecondPartner.add(to: server)
            let (jar, _) = try await Self.login(portal, DemoDirectory.operatorName)
            func listed(_ body: String) -> [String] {
                ["CONV-0606-001", "CONV-2"].filter { body.contains("<tr><td>\($0)</td>") }
            }
            let first = try await HTTP.curl(portal.url + "/conventions", jar: jar)
            #expect(first.status == 200)
            #expect(listed(first.body).count == 1, "\(HTTP.mainText(first.body))")
            #expect(first.body.contains("id=\"page-suivante\""))
            let second = try await HTTP.curl(portal.url + "/conventions?page=suivante", jar: jar)
            #expect(listed(second.body).count == 1, "\(HTTP.mainText(second.body))")
            #expect(Set(listed(first.body) + listed(second.body)) == ["CONV-0606-001", "CONV-2"])
            #expect(second.body.contains("Page 2"))
        }
    }

    @Test func aPartnerAdministratorHasNoneOfTheOperatorsScreens() async throws {
        try await HTTP.withPortal { _, portal in
            let (jar, csrf) = try await Self.login(portal, DemoDirectory.administratorIdentifier)
            let welcome = try await HTTP.curl(portal.url + "/accueil", jar: jar)
            #expect(welcome.body.contains("href=\"/organismes\""), "Mes organismes: its own partner")
            for path in ["/types-partenaires", "/services", "/administrateurs", "/applications", "/internes"] {
                #expect(!welcome.body.contains("href=\"\(path)\""), "no \(path) for a partner administrator")
            }
            let partners = try await HTTP.curl(portal.url + "/organismes", jar: jar)
            #expect(partners.body.contains("CONV-0606-001"))
            #expect(!partners.body.contains("id=\"creer-organisme\""))
            let refused = try await HTTP.curl(portal.url + "/types-partenaires", jar: jar, form: ["csrf": csrf, "code": "PIRATE", "label": "Non"])
            #expect(refused.status == 400)
            #expect(refused.body.contains("(R8)"), "the refusal names its rule: \(HTTP.mainText(refused.body))")
            let types = try await HTTP.curl(portal.url + "/types-partenaires", jar: jar)
            #expect(!types.body.contains("PIRATE"), "nothing written")
            let detail = try await HTTP.curl(portal.url + "/conventions/detail?convention=CONV-0606-001", jar: jar)
            #expect(detail.status == 200)
            #expect(!detail.body.contains("id=\"accorder-profil\""), "only the operator grants profiles")
            let grant = try await HTTP.curl(portal.url + "/conventions/profils/retirer", jar: jar, form: [
                "csrf": csrf, "convention": "CONV-0606-001", "profile": "cn=T1,cn=CDAP,ou=services,dc=annuaire,dc=local",
            ])
            #expect(grant.status != 303, "the server refuses a partner administrator's change to its convention's grants")
            #expect(grant.body.contains("R8") || grant.status == 404, "\(grant.status) \(HTTP.mainText(grant.body))")
            let still = try await HTTP.curl(portal.url + "/conventions/detail?convention=CONV-0606-001", jar: jar)
            #expect(still.body.contains("<td>CDAP/T1</td>"))
        }
    }
}
