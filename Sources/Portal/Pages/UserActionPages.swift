import DirectoryBackend
import Hummingbird
import LDAPProtocol

/// Gestion des utilisateurs: Clôturer (R7: a user is closed, never deleted:
/// its close date set to now; its address then shows "Désactivé" and its
/// status "Clôturé") and Réouvrir (the close date removed), each a Modify
/// through the person's connection, judged by the server (R7, R8).
extension Portal {
    func closeUser(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await changeUserCloseDate(request, change: .init(
            operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [PortalDate.now()])), notice: "users.closed")
    }

    func reopenUser(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await changeUserCloseDate(request, change: .init(
            operation: .delete, modification: PartialAttribute(type: "annCloseDate", values: [])), notice: "users.reopened")
    }

    private func changeUserCloseDate(_ request: Request, change: ModifyRequest.Change, notice: String) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        guard let identifier = form.text("identifiant"), PortalDirectory.isPlausibleIdentifier(identifier) else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let dn = "uid=\(LDAPText.escapeRDNValue(identifier)),\(configuration.directory.people)"
        do {
            try await person.connection.run { client in try client.modify(dn: dn, changes: [change]) }
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: user close date changed", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)", "notice": "\(notice)"])
        setNotice(session, notice, ["identifier": identifier])
        let convention = form.text("convention").map { "convention=\(FormData.encode($0))&" } ?? ""
        return redirect("/utilisateurs?\(convention)identifiant=\(FormData.encode(identifier))")
    }
}
