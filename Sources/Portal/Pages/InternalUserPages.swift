import DirectoryBackend
import Hummingbird
import LDAPProtocol
import Messages

/// Mes utilisateurs en internes (operator): the operator's own staff
/// accounts (`annOperator` under ou=operators), listed and created as the
/// person logged in; a new account gets a temporary password mailed by the
/// server (R6: changed at first login; nobody sees it), as for a partner's user.
extension Portal {
    func internalUsers(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        return try await internalUsersPage(session, person, form: nil, problems: [:])
    }

    func internalUsersPage(_ session: PortalSession, _ person: PersonSession, form: FormData?, problems: [String: [String]], status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let found: [SearchResultEntry]
        do {
            found = try await entries(person, base: configuration.directory.operators, scope: .singleLevel, filter: "(objectClass=annOperator)",
                                      attributes: ["uid", "sn", "givenName", "mail"])
        } catch {
            return try failurePage(session, error)
        }
        let rows = found.map { ["identifier": $0.string("uid") ?? "", "sn": $0.string("sn") ?? "", "givenName": $0.string("givenName") ?? "", "mail": $0.string("mail") ?? ""] }
            .sorted { $0["identifier"] ?? "" < $1["identifier"] ?? "" }
        var values = Self.problemValues(problems)
        values["rows"] = rows
        values["hasRows"] = !rows.isEmpty
        for field in ["identifier", "sn", "givenName", "mail"] { values[field] = form?[field] ?? "" }
        return try page("internal-users", title: "menu.internalUsers", session: session, values: values, status: status)
    }

    func createInternalUser(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        var problems: [String: [String]] = [:]
        for field in ["sn", "givenName", "mail"] where form.text(field) == nil { problems[field] = [PortalTexts.text("field.required", language)] }
        if !PortalDirectory.isPlausibleIdentifier(form.text("identifier") ?? "") { problems["identifier"] = [PortalTexts.text("operator.codeInvalid", language)] }
        guard problems.isEmpty, let identifier = form.text("identifier"), let sn = form.text("sn"), let givenName = form.text("givenName"),
              let mail = form.text("mail") else {
            return try await internalUsersPage(session, person, form: form, problems: problems, status: .badRequest)
        }
        let dn = "uid=\(LDAPText.escapeRDNValue(identifier)),\(configuration.directory.operators)"
        if let problem = try await add(person, dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "annOperator"]),
            PartialAttribute(type: "uid", strings: [identifier]),
            PartialAttribute(type: "sn", strings: [sn]),
            PartialAttribute(type: "givenName", strings: [givenName]),
            PartialAttribute(type: "cn", strings: ["\(givenName) \(sn)"]),
            PartialAttribute(type: "mail", strings: [mail]),
        ], language: language) {
            let field = problem.field == "code" ? "identifier" : problem.field ?? "form"
            return try await internalUsersPage(session, person, form: form, problems: [field: [problem.message]], status: .badRequest)
        }
        // R6: a temporary password, generated and mailed by the server.
        do {
            let value = PasswordModifyRequest(userIdentity: dn).encoded()
            _ = try await person.connection.run { client in try client.extended(name: PasswordModifyRequest.oid, value: value) }
        } catch let error as LDAPOperationError {
            setNotice(session, "internal.createdNoMail", ["identifier": identifier, "reason": FieldProblem.place(error, language: language).message])
            return redirect("/internes")
        }
        setNotice(session, "internal.created", ["identifier": identifier, "mail": mail])
        return redirect("/internes")
    }
}
