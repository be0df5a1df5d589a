import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import Messages

/// Gestion des utilisateurs → Modifier (R4): names, e-mail and phone (a new
/// address or number typed twice, as at creation), work mode and dates,
/// changed in one LDAP Modify as the person logged in; the server checks R4
/// on the entry as it will be and R8 (its conventions' users only). A user
/// out of the person's sight gets the same answer as a missing one.
extension Portal {
    static let userEditAttributes = userAttributes + ["annWorkMode", "cn"]

    func editUserPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let query = query(request)
        do {
            guard let user = try await visibleUser(person, query.text("identifiant")) else {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            return try userEditForm(session, user: user, convention: query.text("convention"), form: nil, problems: [:])
        } catch {
            return try failurePage(session, error)
        }
    }

    /// A user entry as the person sees it; nil when it is missing or out of sight (R8).
    func visibleUser(_ person: PersonSession, _ identifier: String?) async throws -> SearchResultEntry? {
        guard let identifier, PortalDirectory.isPlausibleIdentifier(identifier) else { return nil }
        let dn = "uid=\(LDAPText.escapeRDNValue(identifier)),\(configuration.directory.people)"
        let attributes = Self.userEditAttributes
        return try await person.connection.run { client in try client.read(dn, attributes: attributes) }
    }

    func userEditForm(
        _ session: PortalSession, user: SearchResultEntry, convention: String?, form: FormData?, problems: [String: [String]],
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let identifier = user.string("uid") ?? LDAPText.leafValue(of: user.objectName)
        let stored: [String: String] = [
            "sn": user.string("sn") ?? "", "givenName": user.string("givenName") ?? "", "mail": user.string("mail") ?? "",
            "telephoneNumber": user.string("telephoneNumber") ?? "",
            "openDate": PortalDate.display(user.string("annOpenDate") ?? ""), "closeDate": PortalDate.display(user.string("annCloseDate") ?? ""),
        ]
        var values: [String: Any] = [
            "identifier": identifier, "identifierQuery": FormData.encode(identifier),
            "convention": convention ?? "", "conventionQuery": FormData.encode(convention ?? ""),
            "heading": PortalTexts.text("users.editTitle", session.language, ["identifier": identifier]),
        ]
        for (field, value) in stored { values[field] = form.map { $0[field] ?? "" } ?? value }
        values["mailConfirmation"] = form?["mailConfirmation"] ?? ""
        values["telephoneConfirmation"] = form?["telephoneConfirmation"] ?? ""
        let workMode = form.map { $0["workMode"] ?? "" } ?? user.string("annWorkMode") ?? ""
        values["sedentary"] = workMode == "sedentary"
        values["itinerant"] = workMode == "itinerant"
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        values["hasErrors"] = !problems.isEmpty
        return try page("user-edit", title: "users.modify", session: session, values: values, status: status)
    }

    func editUser(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        let user: SearchResultEntry
        do {
            guard let found = try await visibleUser(person, form.text("identifiant")) else {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            user = found
        } catch {
            return try failurePage(session, error)
        }
        let convention = form.text("convention")
        var problems: [String: [String]] = [:]
        func problem(_ field: String, _ key: String) { problems[field] = [PortalTexts.text(key, language) + (key.hasSuffix("Mismatch") ? " (R4)" : "")] }
        for field in ["sn", "givenName", "mail"] where form.text(field) == nil { problem(field, "field.required") }
        let mail = form.text("mail") ?? ""
        let phone = form.text("telephoneNumber") ?? ""
        let mailChanged = mail.lowercased() != (user.string("mail") ?? "").lowercased()
        let phoneChanged = phone != (user.string("telephoneNumber") ?? "")
        // R4: a new address or number is typed twice.
        if mailChanged && !mail.isEmpty && (form.text("mailConfirmation") ?? "").lowercased() != mail.lowercased() {
            problem("mailConfirmation", "create.mailMismatch")
        }
        if phoneChanged && !phone.isEmpty && (form.text("telephoneConfirmation") ?? "") != phone {
            problem("telephoneConfirmation", "create.phoneMismatch")
        }
        let openDate = form.text("openDate").map(PortalDate.generalized)
        let closeDate = form.text("closeDate").map(PortalDate.generalized)
        if form.text("openDate") == nil { problem("openDate", "field.required") }
        if case .some(nil) = openDate { problem("openDate", "create.dateInvalid") }
        if case .some(nil) = closeDate { problem("closeDate", "create.dateInvalid") }
        guard problems.isEmpty, let sn = form.text("sn"), let givenName = form.text("givenName"), let open = openDate ?? nil else {
            return try userEditForm(session, user: user, convention: convention, form: form, problems: problems, status: .badRequest)
        }
        var changes: [ModifyRequest.Change] = []
        func replace(_ type: String, _ values: [String]) {
            changes.append(ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: type, strings: values)))
        }
        if sn != user.string("sn") { replace("sn", [sn]) }
        if givenName != user.string("givenName") { replace("givenName", [givenName]) }
        if sn != user.string("sn") || givenName != user.string("givenName") { replace("cn", ["\(givenName) \(sn)"]) }
        if mailChanged { replace("mail", [mail]) }
        if phoneChanged { replace("telephoneNumber", phone.isEmpty ? [] : [phone]) }
        if let workMode = form.text("workMode"), workMode != user.string("annWorkMode") { replace("annWorkMode", [workMode]) }
        if PortalDate.display(user.string("annOpenDate") ?? "") != PortalDate.display(open) { replace("annOpenDate", [open]) }
        let close = closeDate ?? nil
        if PortalDate.display(user.string("annCloseDate") ?? "") != close.map(PortalDate.display) ?? "" { replace("annCloseDate", close.map { [$0] } ?? []) }
        let identifier = user.string("uid") ?? LDAPText.leafValue(of: user.objectName)
        if !changes.isEmpty {
            let dn = user.objectName
            let requested = changes
            do {
                try await person.connection.run { client in try client.modify(dn: dn, changes: requested) }
            } catch let error as LDAPOperationError {
                let placed = FieldProblem.place(error, language: language)
                if FieldProblem.isMissingOrDenied(error) {
                    return try failurePage(session, error)
                }
                return try userEditForm(
                    session, user: user, convention: convention, form: form, problems: [placed.field ?? "form": [placed.message]], status: .badRequest)
            } catch {
                return try failurePage(session, error)
            }
            logger.info("portal: user modified", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)"])
        }
        setNotice(session, changes.isEmpty ? "form.nothingChanged" : "users.modified", ["identifier": identifier])
        let back = convention.map { "convention=\(FormData.encode($0))&" } ?? ""
        return redirect("/utilisateurs?\(back)identifiant=\(FormData.encode(identifier))")
    }
}
