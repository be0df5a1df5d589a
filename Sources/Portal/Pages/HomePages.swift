import Messages
import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol

/// Bienvenue (the menu per role), Règles d'usage (R10) and Mon profil
/// (display name and phone changed through the person's own connection;
/// the password through the change form).
extension Portal {
    func root(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        if case .active(let session) = lookup(request), session.person != nil { return redirect("/accueil") }
        return redirect("/connexion")
    }

    func welcome(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let language = session.language
        let habilitations = MenuEntry.values(MenuEntry.habilitations, role: person.profile.role, language: language)
        return try page("welcome", title: "welcome.title", session: session, values: [
            "heading": PortalTexts.text("welcome.heading", language, ["name": person.profile.displayName]),
            "habilitations": habilitations,
            "hasHabilitations": !habilitations.isEmpty,
            "personal": MenuEntry.values(MenuEntry.personal, role: person.profile.role, language: language),
        ])
    }

    func rules(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, _) = try personSession(request)
        let texts = await directory.usageTexts()
        var values: [String: Any] = [:]
        if let texts {
            values["usageRules"] = Self.lines(texts.rules)
            values["legalWarning"] = texts.legalWarning
        }
        return try page("rules", title: "rules.title", session: session, values: values)
    }

    func profilePage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        return try profileForm(session, person.profile, problems: [:])
    }

    func profileForm(_ session: PortalSession, _ profile: PersonProfile, problems: [String: [String]], status: HTTPResponse.Status = .ok) throws -> Response {
        var values: [String: Any] = [
            "identifier": profile.identifier, "sn": profile.sn, "givenName": profile.givenName, "displayName": profile.displayName,
            "mail": profile.mail, "telephoneNumber": profile.telephoneNumber,
        ]
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        values["hasErrors"] = !problems.isEmpty
        return try page("profile", title: "profile.title", session: session, values: values, status: status)
    }

    func saveProfile(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        var profile = person.profile
        let displayName = form.text("displayName") ?? ""
        let phone = form.text("telephoneNumber") ?? ""
        var changes: [ModifyRequest.Change] = []
        if displayName != profile.displayName && !displayName.isEmpty {
            changes.append(.init(operation: .replace, modification: PartialAttribute(type: "displayName", strings: [displayName])))
        }
        if phone != profile.telephoneNumber {
            changes.append(.init(operation: .replace, modification: PartialAttribute(type: "telephoneNumber", strings: phone.isEmpty ? [] : [phone])))
        }
        if !changes.isEmpty {
            let dn = profile.dn
            let requested = changes
            do {
                try await person.connection.run { client in try client.modify(dn: dn, changes: requested) }
            } catch let error as LDAPOperationError {
                let problem = FieldProblem.place(error, language: session.language)
                let field = error.diagnosticMessage.contains("telephoneNumber") ? "telephoneNumber" : (problem.field ?? "displayName")
                profile.displayName = displayName
                profile.telephoneNumber = phone
                return try profileForm(session, profile, problems: [field: [problem.message]], status: .badRequest)
            } catch {
                return try endBrokenSession(session, error)
            }
            profile.displayName = displayName.isEmpty ? profile.displayName : displayName
            profile.telephoneNumber = phone
        }
        var changed = session
        changed.person?.profile = profile
        changed.notice = PortalTexts.text("profile.saved", session.language)
        sessions.update(changed)
        return redirect("/profil")
    }
}
