import AnnuaireTestSupport
import Foundation
import Habilitations
@testable import Portal
import Testing

/// The server's own refusals reach an English page in English: the portal
/// sends the language preference control (issue #16) with the person's
/// operations, in the session's language, which may change mid-session.
@Suite(.serialized) struct PortalLanguageTests {
    typealias HTTP = PortalHTTPTests

    @Test func englishPagesShowTheServersRefusalsInEnglish() async throws {
        try await HTTP.withPortal { _, portal in
            let jar = try await PortalManagementHTTPTests.administrator(portal)
            let csrf = try await PortalManagementHTTPTests.token(portal, jar)
            let user = "XXX0606XX06"
            let closed = try await HTTP.curl(portal.url + "/utilisateurs/cloturer", jar: jar, form: [
                "csrf": csrf, "identifiant": user, "convention": PortalManagementHTTPTests.convention,
            ])
            try #require(closed.status == 303, "\(closed.body)")
            // R9: a closed user's identifier is not mailed again; the server says why, in the page's language.
            let resend = ["csrf": csrf, "identifiant": user, "convention": PortalManagementHTTPTests.convention]
            let french = try await HTTP.curl(portal.url + "/utilisateurs/renvoyer-identifiant", jar: jar, form: resend)
            #expect(french.status == 400)
            #expect(french.body.contains("\(user) est clôturé (R7)"), "\(HTTP.mainText(french.body))")
            _ = try await HTTP.curl(portal.url + "/langue?code=en&retour=/accueil", jar: jar)
            let english = try await HTTP.curl(portal.url + "/utilisateurs/renvoyer-identifiant", jar: jar, form: resend)
            #expect(english.status == 400)
            #expect(english.body.contains("<html lang=\"en\">"))
            #expect(english.body.contains("\(user) is closed (R7)"), "\(HTTP.mainText(english.body))")
            #expect(!english.body.contains("clôturé (R7)"))
        }
    }
}
