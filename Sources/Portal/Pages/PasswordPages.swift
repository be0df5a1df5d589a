import Messages
import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol

/// The password screens: the change form (at once and alone after a login
/// with a temporary password, R6; from Mon profil otherwise), "Mot de passe
/// oublié" (same answer whether or not the identifier exists) and the
/// recovery link's page (/mot-de-passe/nouveau, its code filled in from the
/// URL fragment by an external script, or pasted from the mail).
extension Portal {
    func passwordChangePage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request, allowMustChange: true)
        return try passwordChangeForm(session, person, problems: [:])
    }

    func passwordChangeForm(_ session: PortalSession, _ person: PersonSession, problems: [String: [String]], status: HTTPResponse.Status = .ok) throws -> Response {
        var values: [String: Any] = [
            "mustChange": person.mustChangePassword,
            "currentLabel": PortalTexts.text(person.mustChangePassword ? "password.currentTemporary" : "password.current", session.language),
        ]
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        values["hasErrors"] = !problems.isEmpty
        return try page("password-change", title: "password.changeTitle", session: session, values: values, status: status)
    }

    func changePassword(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request, allowMustChange: true)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        let current = form["actuel"] ?? ""
        let new = form["nouveau"] ?? ""
        let confirmation = form["confirmation"] ?? ""
        var problems: [String: [String]] = [:]
        if current.isEmpty { problems["actuel"] = [PortalTexts.text("field.required", language)] }
        if new.isEmpty { problems["nouveau"] = [PortalTexts.text("field.required", language)] }
        if new != confirmation { problems["confirmation"] = [PortalTexts.text("password.mismatch", language)] }
        guard problems.isEmpty else { return try passwordChangeForm(session, person, problems: problems, status: .badRequest) }
        let request = PasswordModifyRequest(oldPassword: Array(current.utf8), newPassword: Array(new.utf8))
        let result: PasswordChangeResult
        do {
            _ = try await person.connection.run { client in
                try client.extended(name: PasswordModifyRequest.oid, value: request.encoded())
            }
            result = .changed
        } catch let error as LDAPOperationError {
            result = PasswordChangeResult(error)
        } catch {
            return try endBrokenSession(session, error)
        }
        switch result {
        case .changed:
            var changed = session
            if var updated = changed.person {
                updated.mustChangePassword = false
                if updated.profile.role == .person && updated.profile.sn.isEmpty {
                    // The profile could not be read in the restricted session (R6); it can now.
                    let dn = updated.profile.dn
                    let isOperator = LDAPText.isWithin(dn, configuration.directory.operators)
                    if let entry = try? await updated.connection.run({ client in try client.read(dn, attributes: PersonProfile.attributes) }) {
                        updated.profile = PersonProfile(entry: entry, identifier: updated.profile.identifier, isOperatorAccount: isOperator)
                    }
                }
                changed.person = updated
            }
            changed.notice = PortalTexts.text("password.changed", language)
            sessions.update(changed)
            logger.info("portal: password changed", metadata: ["dn": "\(person.profile.dn)"])
            return redirect(person.mustChangePassword ? "/accueil" : "/profil")
        case .invalidCredentials:
            return try passwordChangeForm(session, person, problems: ["actuel": [PortalTexts.text("password.wrongCurrent", language)]], status: .badRequest)
        case .refused(let failed):
            return try passwordChangeForm(session, person, problems: ["nouveau": failed.map { $0.text(language) }], status: .badRequest)
        case .unavailable(let reason):
            logger.error("portal: password change failed", metadata: ["reason": "\(reason)"])
            return try passwordChangeForm(session, person, problems: ["nouveau": [PortalTexts.text("error.internal", language)]], status: .serviceUnavailable)
        }
    }

    /// A connection the server closed (idle timeout, restart): the session ends, the person logs in again.
    func endBrokenSession(_ session: PortalSession, _ error: any Error) throws -> Response {
        logger.notice("portal: the session's LDAP connection failed; session ended", metadata: ["error": "\(error)"])
        sessions.end(session.id)
        return redirect("/connexion?expiree=1")
    }

    // MARK: - Mot de passe oublié

    func forgotPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, isNew) = anySession(request)
        return try page("forgot", title: "forgot.title", session: session, isNew: isNew)
    }

    func forgot(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, isNew) = anySession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: isNew) }
        let language = session.language
        guard let identifier = form.text("identifiant") else {
            return try page("forgot", title: "forgot.title", session: session, isNew: isNew,
                            values: ["error_identifiant": ["messages": [PortalTexts.text("field.required", language)]]], status: .badRequest)
        }
        let addressAllowed = recoveryPerAddress.allow(clientAddress(context))
        let identifierAllowed = recoveryPerIdentifier.allow(identifier.lowercased())
        guard addressAllowed && identifierAllowed else {
            return try page("forgot", title: "forgot.title", session: session, isNew: isNew,
                            values: ["error": PortalTexts.text("forgot.rateLimited", language)], status: .tooManyRequests)
        }
        if PortalDirectory.isPlausibleIdentifier(identifier) {
            do {
                try await directory.requestRecovery(identifier: identifier)
            } catch {
                // The same answer either way; the failure is for the log only.
                logger.error("portal: forgot-password request failed", metadata: ["error": "\(error)"])
            }
        }
        return try page("forgot", title: "forgot.title", session: session, isNew: isNew,
                        values: ["sent": PortalTexts.text("forgot.sent", language)])
    }

    func recoveryPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, isNew) = anySession(request)
        return try page("recovery", title: "recovery.title", session: session, isNew: isNew)
    }

    func recover(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, isNew) = anySession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: isNew) }
        let language = session.language
        let code = form.text("code") ?? ""
        let new = form["nouveau"] ?? ""
        var problems: [String: [String]] = [:]
        if code.isEmpty { problems["code"] = [PortalTexts.text("field.required", language)] }
        if new.isEmpty { problems["nouveau"] = [PortalTexts.text("field.required", language)] }
        if new != (form["confirmation"] ?? "") { problems["confirmation"] = [PortalTexts.text("password.mismatch", language)] }
        // The per-address limit also bounds guessing at codes.
        if problems.isEmpty && !recoveryPerAddress.allow(clientAddress(context)) {
            return try page("recovery", title: "recovery.title", session: session, isNew: isNew,
                            values: ["error": PortalTexts.text("forgot.rateLimited", language)], status: .tooManyRequests)
        }
        if problems.isEmpty {
            switch await directory.completeRecovery(token: code, newPassword: Array(new.utf8), language: language) {
            case .changed:
                setNotice(session, "recovery.done")
                var response = redirect("/connexion")
                if isNew { setSessionCookie(&response, session) }
                return response
            case .invalidCredentials:
                problems["code"] = [PortalTexts.text("recovery.invalidCode", language)]
            case .refused(let failed):
                problems["nouveau"] = failed.map { $0.text(language) }
            case .unavailable(let reason):
                logger.error("portal: recovery completion failed", metadata: ["reason": "\(reason)"])
                problems["nouveau"] = [PortalTexts.text("login.unavailable", language)]
            }
        }
        var values: [String: Any] = ["hasErrors": true]
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        // The code is given back only while it is not the problem, so that the person need not follow the link again.
        if problems["code"] == nil { values["code"] = code }
        return try page("recovery", title: "recovery.title", session: session, isNew: isNew, values: values, status: .badRequest)
    }
}
