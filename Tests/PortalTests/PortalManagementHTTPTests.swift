import AnnuaireTestSupport
import Foundation
import Habilitations
@testable import Portal
import Testing

/// The management screens over real HTTPS, driven with curl: a group
/// modified (libellé, dates) and its roles assigned then removed (R2, R3),
/// a user modified with the e-mail typed twice (R4), a membership ended
/// then attached again (R5), the history of a group and of a person with
/// the old and new values (R11), the dashboard; and another partner's
/// administrator reaching none of it, with the answer a missing entry gets (R8).
@Suite(.serialized) struct PortalManagementHTTPTests {
    typealias HTTP = PortalHTTPTests
    static let convention = "CONV-0606-001"
    static let profileT1 = "cn=T1,cn=CDAP,ou=services,dc=annuaire,dc=local"

    /// Logs the demo administrator in; its cookie jar.
    static func administrator(_ portal: RunningPortal) async throws -> String {
        let jar = try HTTP.jar()
        let login = try await HTTP.login(portal, jar: jar, identifier: DemoDirectory.administratorIdentifier, password: DemoDirectory.password)
        try #require(login.status == 303)
        return jar
    }

    /// A page's CSRF token (every logged-in page carries it, in the logout form at least).
    static func token(_ portal: RunningPortal, _ jar: String) async throws -> String {
        try #require(try await HTTP.curl(portal.url + "/accueil", jar: jar).csrf)
    }

    @Test func groupModifiedAndARoleAssignedThenRemoved() async throws {
        try await HTTP.withPortal { _, portal in
            let jar = try await Self.administrator(portal)
            let csrf = try await Self.token(portal, jar)
            let created = try await HTTP.curl(portal.url + "/groupes/nouveau", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "code": "T1B", "label": "CDAP T1 bis", "responsible": DemoDirectory.administratorIdentifier,
            ])
            #expect(created.status == 303, "\(created.body)")
            let edit = try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=T1B", jar: jar)
            #expect(edit.status == 200)
            #expect(edit.body.contains("Habilitations du groupe"))
            #expect(edit.body.contains("id=\"aucun-role\""), "a new group without a role says so")
            #expect(edit.body.contains("Assigner rôle"))
            #expect(!edit.body.contains("<script"), "no inline script")

            let saved = try await HTTP.curl(portal.url + "/groupes/modifier", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "code": "T1B", "label": "CDAP T1 ter", "responsible": DemoDirectory.administratorIdentifier,
                "openDate": PortalDate.display(PortalDate.today()), "closeDate": "31/12/2099", "parent": "T1",
            ])
            #expect(saved.status == 303, "\(saved.body)")
            let after = try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=T1B", jar: jar)
            #expect(after.body.contains("Le groupe T1B a été modifié."))
            #expect(after.body.contains("value=\"CDAP T1 ter\""))
            #expect(after.body.contains("value=\"31/12/2099\""))
            #expect(after.body.contains("<option value=\"T1\" selected>"), "sous-groupe de T1")
            #expect(after.body.contains("id=\"groupe-niveau\">2<"), "the level the server derived for a subgroup")

            let assigned = try await HTTP.curl(portal.url + "/groupes/roles/assigner", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "code": "T1B", "role": Self.profileT1,
            ])
            #expect(assigned.status == 303)
            let withRole = try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=T1B", jar: jar)
            #expect(withRole.body.contains("Le rôle CDAP/T1 est assigné au groupe T1B."))
            #expect(withRole.body.contains("id=\"retirer-CDAP-T1\""))
            let list = try await HTTP.curl(portal.url + "/groupes?convention=\(Self.convention)&code=T1B", jar: jar)
            #expect(list.body.contains("<td>CDAP/T1</td>"), "the list shows the role")

            // R3: a profile the convention does not grant is refused next to the field, the rule named.
            let refused = try await HTTP.curl(portal.url + "/groupes/roles/assigner", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "code": "T1B", "role": "cn=T9,cn=CDAP,ou=services,dc=annuaire,dc=local",
            ])
            #expect(refused.status == 400)
            #expect(refused.body.contains("id=\"role-erreur\""))
            #expect(refused.body.contains("(R3)"), "\(refused.body)")

            let removed = try await HTTP.curl(portal.url + "/groupes/roles/retirer", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "code": "T1B", "role": Self.profileT1,
            ])
            #expect(removed.status == 303)
            let withoutRole = try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=T1B", jar: jar)
            #expect(withoutRole.body.contains("Le rôle CDAP/T1 est retiré du groupe T1B."))
            #expect(withoutRole.body.contains("id=\"aucun-role\""))

            // R11: the group's history, with what changed.
            let history = try await HTTP.curl(portal.url + "/historique?convention=\(Self.convention)&groupe=T1B", jar: jar)
            #expect(history.status == 200)
            #expect(history.body.contains("Historique du groupe T1B"))
            #expect(history.body.contains("Libellé : CDAP T1 bis → CDAP T1 ter"), "\(history.body)")
            #expect(history.body.contains("Rôles : +CDAP/T1"))
            #expect(history.body.contains("Rôles : −CDAP/T1"))
            let onlyAdds = try await HTTP.curl(portal.url + "/historique?convention=\(Self.convention)&groupe=T1B&action=add", jar: jar)
            #expect(!onlyAdds.body.contains("Libellé : CDAP T1 bis → CDAP T1 ter"), "the action filter")
            let badDate = try await HTTP.curl(portal.url + "/historique?convention=\(Self.convention)&depuis=hier", jar: jar)
            #expect(badDate.status == 400)
            #expect(badDate.body.contains("id=\"f-depuis-erreur\""))
        }
    }

    @Test func userModifiedWithTheMailTypedTwiceAndAttachedAgain() async throws {
        try await HTTP.withPortal { _, portal in
            let jar = try await Self.administrator(portal)
            let csrf = try await Self.token(portal, jar)
            let page = try await HTTP.curl(portal.url + "/utilisateurs/modifier?identifiant=XXX0606XX10&convention=\(Self.convention)", jar: jar)
            #expect(page.status == 200)
            #expect(Self.unescaped(page.body).contains("Modifier l'utilisateur XXX0606XX10"))
            #expect(page.body.contains("value=\"DURAND\""))
            var form = [
                "csrf": csrf, "convention": Self.convention, "identifiant": "XXX0606XX10", "sn": "DURAND", "givenName": "Laureline",
                "mail": "l.durand2@partenaire.fr", "mailConfirmation": "l.durand@partenaire.fr", "telephoneNumber": "07 00 01 00 09",
                "telephoneConfirmation": "07 00 01 00 09", "openDate": "12/04/2019", "workMode": "itinerant",
            ]
            let mismatch = try await HTTP.curl(portal.url + "/utilisateurs/modifier", jar: jar, form: form)
            #expect(mismatch.status == 400)
            #expect(mismatch.body.contains("id=\"mailConfirmation-erreur\""))
            #expect(mismatch.body.contains("Les deux adresses mail sont différentes. (R4)"))
            form["mailConfirmation"] = "l.durand2@partenaire.fr"
            let saved = try await HTTP.curl(portal.url + "/utilisateurs/modifier", jar: jar, form: form)
            #expect(saved.status == 303, "\(saved.body)")
            let list = try await HTTP.curl(portal.url + "/utilisateurs?convention=\(Self.convention)&identifiant=XXX0606XX10", jar: jar)
            #expect(Self.unescaped(list.body).contains("L'utilisateur XXX0606XX10 a été modifié."))
            #expect(list.body.contains("l.durand2@partenaire.fr"))
            #expect(list.body.contains("07 00 01 00 09"))
            #expect(list.body.contains("id=\"modifier-XXX0606XX10\""))

            // R5: the membership ended, then attached again for a new period.
            let closed = try await HTTP.curl(portal.url + "/rattachements/cloturer", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "identifiant": "XXX0606XX10", "group": "T1",
            ])
            #expect(closed.status == 303)
            let actions = try await HTTP.curl(portal.url + "/utilisateurs/actions?identifiant=XXX0606XX10&convention=\(Self.convention)", jar: jar)
            #expect(actions.body.contains("id=\"rattacher-a-nouveau-T1\""), "an ended membership offers to attach again")
            let tomorrow = PortalDate.display(PortalDate.today(Date().addingTimeInterval(86_400)))
            let again = try await HTTP.curl(portal.url + "/rattachements/nouveau", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "identifiant": "XXX0606XX10", "group": "T1", "openDate": tomorrow,
            ])
            #expect(again.status == 303, "\(again.body)")
            let afterwards = try await HTTP.curl(portal.url + "/utilisateurs/actions?identifiant=XXX0606XX10&convention=\(Self.convention)", jar: jar)
            #expect(afterwards.body.contains("XXX0606XX10 est de nouveau rattaché au groupe T1."), "\(afterwards.body)")

            // R11: the person's history holds the change with its old and new values, and its membership's events.
            let history = try await HTTP.curl(portal.url + "/historique?convention=\(Self.convention)&utilisateur=XXX0606XX10", jar: jar)
            #expect(history.status == 200)
            #expect(history.body.contains("Adresse mail : l.durand@partenaire.fr → l.durand2@partenaire.fr"), "\(history.body)")
            #expect(history.body.contains("T1/XXX0606XX10"))
            #expect(history.body.contains("Nouveau rattachement"))
        }
    }

    @Test func dashboardCountsTheConvention() async throws {
        try await HTTP.withPortal { _, portal in
            let jar = try await Self.administrator(portal)
            let welcome = try await HTTP.curl(portal.url + "/accueil", jar: jar)
            #expect(welcome.body.contains("href=\"/tableaux-de-bord\""))
            #expect(welcome.body.contains("href=\"/historique\""))
            let dashboard = try await HTTP.curl(portal.url + "/tableaux-de-bord?convention=\(Self.convention)", jar: jar)
            #expect(dashboard.status == 200, "\(dashboard.body)")
            #expect(dashboard.body.contains("id=\"utilisateurs-clotures\">1<"), "XXX0606XX09 is closed")
            #expect(dashboard.body.contains("Utilisateurs ouverts"))
            #expect(dashboard.body.contains("Groupes ouverts sans membre"))
        }
    }

    /// R8: another partner's administrator editing URLs or form fields gets, for the demo partner's
    /// entries, the very answer an entry that does not exist gets.
    @Test func anotherPartnersAdministratorReachesNothing() async throws {
        try await HTTP.withPortal { server, portal in
            try await SecondPartner.add(to: server)
            let jar = try HTTP.jar()
            let login = try await HTTP.login(portal, jar: jar, identifier: SecondPartner.administratorIdentifier, password: SecondPartner.password)
            try #require(login.status == 303)
            let csrf = try await Self.token(portal, jar)
            func same(_ path: String, _ missing: String, form: (String) -> [String: String]? = { _ in nil }) async throws {
                let theirs = try await HTTP.curl(portal.url + path, jar: jar, form: form("demo"))
                let none = try await HTTP.curl(portal.url + missing, jar: jar, form: form("missing"))
                #expect(theirs.status == 404, "\(path): \(theirs.status)")
                #expect(theirs.status == none.status, "\(path)")
                #expect(Self.main(theirs.body) == Self.main(none.body), "\(path): the same page as for a missing entry")
            }
            try await same("/groupes/modifier?convention=CONV-0606-001&code=T1", "/groupes/modifier?convention=CONV-NOPE&code=T1")
            try await same("/groupes/modifier?convention=CONV-2&code=T1", "/groupes/modifier?convention=CONV-2&code=NOPE")
            try await same("/utilisateurs/modifier?identifiant=XXX0606XX06", "/utilisateurs/modifier?identifiant=NOPE0000")
            try await same("/historique?convention=CONV-0606-001", "/historique?convention=CONV-NOPE")
            try await same("/tableaux-de-bord?convention=CONV-0606-001", "/tableaux-de-bord?convention=CONV-NOPE")
            try await same("/groupes/modifier", "/groupes/modifier") { which in
                ["csrf": csrf, "convention": which == "demo" ? "CONV-0606-001" : "CONV-NOPE", "code": "T1", "label": "pris",
                 "responsible": SecondPartner.administratorIdentifier, "openDate": "01/01/2021"]
            }
            try await same("/groupes/roles/retirer", "/groupes/roles/retirer") { which in
                ["csrf": csrf, "convention": "CONV-2", "code": which == "demo" ? "T1" : "NOPE", "role": Self.profileT1]
            }
            try await same("/utilisateurs/modifier", "/utilisateurs/modifier") { which in
                ["csrf": csrf, "identifiant": which == "demo" ? "XXX0606XX06" : "NOPE0000", "sn": "X", "givenName": "Y", "mail": "x@y.fr", "openDate": "01/01/2021"]
            }
            // Its own convention's history holds nothing of the demo partner.
            let own = try await HTTP.curl(portal.url + "/historique?convention=CONV-2&utilisateur=XXX0606XX06", jar: jar)
            #expect(own.status == 200)
            #expect(own.body.contains("id=\"aucun-evenement\""))
        }
    }

    /// A page's text with HTML's character references for quotes and ampersands read back.
    static func unescaped(_ body: String) -> String {
        body.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The page's main content (the header holds the session's own token and name).
    static func main(_ body: String) -> String {
        guard let start = body.range(of: "<main"), let end = body.range(of: "</main>") else { return body }
        return String(body[start.lowerBound..<end.upperBound])
    }
}
