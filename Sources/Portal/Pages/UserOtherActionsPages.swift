import DirectoryBackend
import Hummingbird
import LDAPProtocol
import LibLDAP

/// A user's "Autres actions": reset the password (R6: the server generates
/// a temporary one and mails it to the person; the administrator never sees
/// it) and resend the identifier by mail (R9), each an extended operation
/// sent as the person logged in, judged by the server (R8).
extension Portal {
    static let resendIdentifierOID = "2.25.309896955993207786281445528786519232768.3.3"

    func userActionsPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let query = query(request)
        guard let identifier = query.text("identifiant"), PortalDirectory.isPlausibleIdentifier(identifier) else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let dn = "uid=\(LDAPText.escapeRDNValue(identifier)),\(configuration.directory.people)"
        var values: [String: Any]
        do {
            // The user, and (in a convention the person works in) its memberships there and the
            // convention's groups: one round trip.
            let convention = try await chosenConvention(person, query.text("convention"))
            var searches = [BatchSearch.read(dn, attributes: Self.userAttributes)]
            if let convention {
                searches.append(Self.membershipsSearch(identifier: identifier, convention: convention.dn))
                searches.append(Self.groupCodesSearch(convention: convention.dn))
            }
            let found = try await person.connection.searchBatch(searches)
            // A user out of the person's sight reads like a missing one (R8).
            guard case .success(let read) = found[0], let entry = read.entries.first else {
                if case .failure(let refusal) = found[0], refusal.code != .noSuchObject { throw refusal }
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            values = Self.userRow(entry, language: session.language)
            values["convention"] = query.text("convention") ?? ""
            values["identifierQuery"] = FormData.encode(identifier)
            // R5: its memberships in the convention, and the groups it may be attached to.
            if convention != nil {
                let memberships = Self.membershipRows(try found[1].get().entries, language: session.language)
                values["memberships"] = memberships
                values["hasMemberships"] = !memberships.isEmpty
                values["withConvention"] = true
                values["groups"] = Self.groupCodes(in: try found[2].get()).map { ["code": $0] }
            }
        } catch {
            return try failurePage(session, error)
        }
        return try page("user-actions", title: "actions.title", session: session, values: values)
    }

    func resetPassword(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await userAction(request, notice: "actions.passwordReset") { dn, identifier in
            (PasswordModifyRequest.oid, PasswordModifyRequest(userIdentity: dn).encoded())
        }
    }

    func resendIdentifier(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await userAction(request, notice: "actions.identifierSent") { _, identifier in
            (Self.resendIdentifierOID, PasswordRecovery.requestValue(identifier: identifier))
        }
    }

    private func userAction(
        _ request: Request, notice: String, operation: (_ dn: String, _ identifier: String) -> (name: String, value: [UInt8])
    ) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        guard let identifier = form.text("identifiant"), PortalDirectory.isPlausibleIdentifier(identifier) else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let dn = "uid=\(LDAPText.escapeRDNValue(identifier)),\(configuration.directory.people)"
        let (name, value) = operation(dn, identifier)
        do {
            _ = try await person.connection.run { client in try client.extended(name: name, value: value) }
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: user action", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)", "action": "\(notice)"])
        setNotice(session, notice, ["identifier": identifier])
        let convention = form.text("convention").map { "&convention=\(FormData.encode($0))" } ?? ""
        return redirect("/utilisateurs/actions?identifiant=\(FormData.encode(identifier))\(convention)")
    }
}
