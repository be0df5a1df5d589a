import Foundation
import Hummingbird
import NIOCore

/// The portal's URLs (French, as people see them) and the files it serves.
extension Portal {
    func router() -> Router<PortalRequestContext> {
        let router = Router(context: PortalRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware<PortalRequestContext>(isTLS: configuration.tls != nil))
        func route(_ handler: @escaping @Sendable (Portal) -> (Request, PortalRequestContext) async throws -> Response)
            -> @Sendable (Request, PortalRequestContext) async throws -> Response {
            { [self] request, context in
                // A posted form may have changed what the person sees (its conventions' administrators, say).
                defer { if request.method == .post { forgetConventions(request) } }
                do {
                    return try await handler(self)(request, context)
                } catch let redirect as Redirect {
                    return self.redirect(redirect.location)
                }
            }
        }
        router.get("/", use: route { $0.root })
        router.get("/connexion", use: route { $0.loginPage })
        router.post("/connexion", use: route { $0.login })
        router.post("/deconnexion", use: route { $0.logout })
        router.get("/langue", use: route { $0.chooseLanguage })
        router.get("/mot-de-passe/changer", use: route { $0.passwordChangePage })
        router.post("/mot-de-passe/changer", use: route { $0.changePassword })
        router.get("/mot-de-passe/oublie", use: route { $0.forgotPage })
        router.post("/mot-de-passe/oublie", use: route { $0.forgot })
        router.get("/mot-de-passe/nouveau", use: route { $0.recoveryPage })
        router.post("/mot-de-passe/nouveau", use: route { $0.recover })
        router.get("/accueil", use: route { $0.welcome })
        router.get("/regles", use: route { $0.rules })
        router.get("/profil", use: route { $0.profilePage })
        router.post("/profil", use: route { $0.saveProfile })
        router.get("/conventions", use: route { $0.conventions })
        router.get("/utilisateurs", use: route { $0.users })
        router.get("/utilisateurs/nouveau", use: route { $0.createUserPage })
        router.post("/utilisateurs/nouveau", use: route { $0.createUser })
        router.post("/utilisateurs/cloturer", use: route { $0.closeUser })
        router.post("/utilisateurs/reouvrir", use: route { $0.reopenUser })
        router.get("/utilisateurs/actions", use: route { $0.userActionsPage })
        router.post("/utilisateurs/reinitialiser", use: route { $0.resetPassword })
        router.post("/utilisateurs/renvoyer-identifiant", use: route { $0.resendIdentifier })
        router.post("/rattachements/nouveau", use: route { $0.attachMembership })
        router.post("/rattachements/cloturer", use: route { $0.closeMembership })
        router.get("/groupes", use: route { $0.groups })
        router.get("/groupes/nouveau", use: route { $0.createGroupPage })
        router.post("/groupes/nouveau", use: route { $0.createGroup })
        router.post("/groupes/cloturer", use: route { $0.closeGroup })
        router.get("/groupes/modifier", use: route { $0.editGroupPage })
        router.post("/groupes/modifier", use: route { $0.editGroup })
        router.post("/groupes/roles/assigner", use: route { $0.assignGroupRole })
        router.post("/groupes/roles/retirer", use: route { $0.removeGroupRole })
        router.get("/historique", use: route { $0.history })
        router.get("/types-partenaires", use: route { $0.partnerTypes })
        router.post("/types-partenaires", use: route { $0.createPartnerType })
        router.get("/organismes", use: route { $0.partners })
        router.post("/organismes", use: route { $0.createPartner })
        router.get("/services", use: route { $0.services })
        router.post("/services", use: route { $0.createService })
        router.post("/services/profils", use: route { $0.createProfile })
        router.get("/conventions/detail", use: route { $0.conventionDetail })
        router.get("/conventions/nouvelle", use: route { $0.createConventionPage })
        router.post("/conventions/nouvelle", use: route { $0.createConvention })
        router.post("/conventions/profils/accorder", use: route { $0.grantProfile })
        router.post("/conventions/profils/retirer", use: route { $0.withdrawProfile })
        router.post("/conventions/administrateurs/ajouter", use: route { $0.addAdministrator })
        router.post("/conventions/administrateurs/retirer", use: route { $0.removeAdministrator })
        router.get("/administrateurs", use: route { $0.administrators })
        router.get("/internes", use: route { $0.internalUsers })
        router.post("/internes", use: route { $0.createInternalUser })
        router.get("/applications", use: route { $0.applications })
        router.post("/applications", use: route { $0.createApplication })
        router.get("/tableaux-de-bord", use: route { $0.dashboard })
        router.get("/utilisateurs/modifier", use: route { $0.editUserPage })
        router.post("/utilisateurs/modifier", use: route { $0.editUser })
        router.get("/static/portal.css", use: route { $0.staticFile("portal.css", type: "text/css; charset=utf-8") })
        router.get("/static/recovery-code.js", use: route { $0.staticFile("recovery-code.js", type: "text/javascript; charset=utf-8") })
        return router
    }

    /// One of the portal's own files (no directory listing, no other path).
    func staticFile(_ name: String, type: String) -> (Request, PortalRequestContext) async throws -> Response {
        { [resources] _, _ in
            let data = try Data(contentsOf: resources.staticFiles.appendingPathComponent(name))
            return Response(
                status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
