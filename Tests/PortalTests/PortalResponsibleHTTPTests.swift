import AnnuaireTestSupport
import Foundation
import Habilitations
@testable import Portal
import Testing

/// R2: a group's responsible "choisi … ou créé sur le champ". From the group
/// form, the responsible is created with "Créer un utilisateur"'s fields and
/// rules (R4: a mistyped confirmation is refused next to its field, and
/// nothing is created); a code already used is refused before any user is
/// made; a group the server refuses after its responsible was created says
/// so, names the new user and keeps it as the responsible.
@Suite(.serialized) struct PortalResponsibleHTTPTests {
    typealias HTTP = PortalHTTPTests
    static let convention = PortalManagementHTTPTests.convention

    static func form(_ csrf: String, code: String, sn: String, confirmation: String = "anne.neuve@commune-exemple.fr",
                     extra: [String: String] = [:]) -> [String: String] {
        var form = [
            "csrf": csrf, "convention": convention, "code": code, "label": "Groupe \(code)", "responsible": "",
            "newResponsible": "1", "newSn": sn, "newGivenName": "Anne", "newMail": "anne.neuve@commune-exemple.fr",
            "newMailConfirmation": confirmation, "newWorkMode": "sedentary", "newGroup": "T1",
        ]
        form.merge(extra) { _, new in new }
        return form
    }

    /// The identifiers of the convention's users named `sn`.
    static func users(_ portal: RunningPortal, _ jar: String, sn: String) async throws -> [String] {
        HTTP.listedIdentifiers(try await HTTP.curl(portal.url + "/utilisateurs?convention=\(convention)&nom=\(sn)", jar: jar).body)
    }

    @Test func theResponsibleIsCreatedFromTheGroupForm() async throws {
        try await HTTP.withPortal { _, portal in
            let jar = try await PortalManagementHTTPTests.administrator(portal)
            let csrf = try await PortalManagementHTTPTests.token(portal, jar)
            let page = try await HTTP.curl(portal.url + "/groupes/nouveau?convention=\(Self.convention)", jar: jar)
            #expect(page.body.contains("id=\"nouveau-responsable\""))
            #expect(page.body.contains("<label for=\"newMailConfirmation\">"), "every field of the fieldset has its label")

            // R4: a mistyped confirmation, next to its field; neither the user nor the group is made.
            let mistyped = try await HTTP.curl(portal.url + "/groupes/nouveau", jar: jar,
                                               form: Self.form(csrf, code: "R1A", sn: "NEUVE", confirmation: "anne.neuve@commune-exemple.com"))
            #expect(mistyped.status == 400)
            #expect(mistyped.body.contains("id=\"newMailConfirmation-erreur\""), "\(HTTP.mainText(mistyped.body))")
            #expect(mistyped.body.contains("différentes"))
            #expect(try await Self.users(portal, jar, sn: "NEUVE").isEmpty)
            #expect(try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=R1A", jar: jar).status == 404)

            // A code already used: refused before any user is created.
            let taken = try await HTTP.curl(portal.url + "/groupes/nouveau", jar: jar, form: Self.form(csrf, code: "T1", sn: "NEUVE"))
            #expect(taken.status == 400)
            #expect(taken.body.contains("id=\"code-erreur\""))
            #expect(try await Self.users(portal, jar, sn: "NEUVE").isEmpty, "no user made for a group that cannot be added")

            // Both made: the user first (in group T1), then the group with it as the responsible.
            let made = try await HTTP.curl(portal.url + "/groupes/nouveau", jar: jar, form: Self.form(csrf, code: "R1A", sn: "NEUVE"))
            #expect(made.status == 303, "\(HTTP.mainText(made.body))")
            let list = try await HTTP.curl(portal.url + "/groupes?convention=\(Self.convention)&code=R1A", jar: jar)
            let created = try await Self.users(portal, jar, sn: "NEUVE")
            try #require(created.count == 1)
            #expect(list.body.contains("son responsable \(created[0]) a été créé"), "\(HTTP.mainText(list.body))")
            let edit = try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=R1A", jar: jar)
            #expect(edit.body.contains("value=\"\(created[0])\""), "the new user is the group's responsible")
        }
    }

    @Test func aGroupRefusedAfterItsResponsibleWasCreatedSaysSo() async throws {
        try await HTTP.withPortal { _, portal in
            let jar = try await PortalManagementHTTPTests.administrator(portal)
            let csrf = try await PortalManagementHTTPTests.token(portal, jar)
            // R3: a profile the convention does not grant: the server refuses the group once the user exists.
            let refused = try await HTTP.curl(portal.url + "/groupes/nouveau", jar: jar, form: Self.form(
                csrf, code: "R1B", sn: "SECONDE", extra: ["roles": "cn=T9,cn=CDAP,ou=services,dc=annuaire,dc=local"]))
            #expect(refused.status == 400)
            let created = try await Self.users(portal, jar, sn: "SECONDE")
            try #require(created.count == 1, "\(HTTP.mainText(refused.body))")
            #expect(refused.body.contains("id=\"responsable-cree\""))
            #expect(refused.body.contains("L&#39;utilisateur \(created[0]) a été créé") || refused.body.contains("L'utilisateur \(created[0]) a été créé"),
                    "\(HTTP.mainText(refused.body))")
            #expect(refused.body.contains("(R3)"), "the group's own refusal, its rule named")
            #expect(refused.body.contains("id=\"responsible\" name=\"responsible\" type=\"text\" value=\"\(created[0])\""), "kept as the responsible")
            #expect(!refused.body.contains("id=\"newResponsible\" name=\"newResponsible\" value=\"1\" checked"), "not to be created again")

            // Sent again without the refused role: the group is made with that user, no second user.
            let again = try await HTTP.curl(portal.url + "/groupes/nouveau", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "code": "R1B", "label": "Groupe R1B", "responsible": created[0],
            ])
            #expect(again.status == 303, "\(HTTP.mainText(again.body))")
            #expect(try await Self.users(portal, jar, sn: "SECONDE") == created)
        }
    }
    @Test func theResponsibleIsCreatedFromTheModifyForm() async throws {
        try await HTTP.withPortal { _, portal in
            let jar = try await PortalManagementHTTPTests.administrator(portal)
            let csrf = try await PortalManagementHTTPTests.token(portal, jar)
            let made = try await HTTP.curl(portal.url + "/groupes/nouveau", jar: jar, form: [
                "csrf": csrf, "convention": Self.convention, "code": "R1C", "label": "Groupe R1C", "responsible": DemoDirectory.administratorIdentifier,
            ])
            try #require(made.status == 303, "\(HTTP.mainText(made.body))")
            let page = try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=R1C", jar: jar)
            #expect(page.body.contains("id=\"nouveau-responsable\""))
            #expect(page.body.contains("<option value=\"R1C\" selected>R1C</option>"), "the new user goes to this group unless told otherwise")
            var form = Self.form(csrf, code: "R1C", sn: "TROISIEME", extra: ["openDate": PortalDate.display(PortalDate.today()), "newGroup": "R1C"])
            form["label"] = "Groupe R1C modifié"
            let saved = try await HTTP.curl(portal.url + "/groupes/modifier", jar: jar, form: form)
            #expect(saved.status == 303, "\(HTTP.mainText(saved.body))")
            let after = try await HTTP.curl(portal.url + "/groupes/modifier?convention=\(Self.convention)&code=R1C", jar: jar)
            let created = try await Self.users(portal, jar, sn: "TROISIEME")
            try #require(created.count == 1)
            #expect(after.body.contains("son responsable \(created[0]) a été créé"), "\(HTTP.mainText(after.body))")
            #expect(after.body.contains("id=\"responsible\" name=\"responsible\" type=\"text\" value=\"\(created[0])\""))
            #expect(after.body.contains("value=\"Groupe R1C modifié\""))
        }
    }
}
