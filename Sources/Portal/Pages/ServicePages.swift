import DirectoryBackend
import Hummingbird
import LDAPProtocol
import Messages

/// Services et profils (operator): the online services and, below each,
/// the profiles (access levels) conventions grant and groups hold as roles
/// (R3); a service or a profile created as an LDAP Add the server judges
/// (R8: the catalogue is the operator's).
extension Portal {
    func services(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        return try await servicesPage(session, person, form: nil, problems: [:])
    }

    func servicesPage(_ session: PortalSession, _ person: PersonSession, form: FormData?, problems: [String: [String]], status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let base = configuration.directory.services
        let found: [SearchResultEntry]
        do {
            found = try await entries(person, base: base, scope: .wholeSubtree, filter: "(|(objectClass=annService)(objectClass=annProfile))",
                                      attributes: ["objectClass", "cn", "annLabel"])
        } catch {
            return try failurePage(session, error)
        }
        func isService(_ entry: SearchResultEntry) -> Bool { LDAPText.parent(of: entry.objectName).lowercased() == base.lowercased() }
        let services = found.filter(isService).sorted { ($0.string("cn") ?? "") < ($1.string("cn") ?? "") }
        let profiles = found.filter { !isService($0) && $0.objectName.lowercased() != base.lowercased() }
        let rows: [[String: Any]] = services.map { service in
            let own = profiles.filter { LDAPText.parent(of: $0.objectName).lowercased() == service.objectName.lowercased() }
                .map { ["code": $0.string("cn") ?? "", "label": $0.string("annLabel") ?? ""] }
                .sorted { $0["code"] ?? "" < $1["code"] ?? "" }
            return ["code": service.string("cn") ?? "", "label": service.string("annLabel") ?? "", "profiles": own, "hasProfiles": !own.isEmpty]
        }
        var values = Self.problemValues(problems)
        values["rows"] = rows
        values["hasRows"] = !rows.isEmpty
        values["isOperator"] = person.profile.role == .operator
        values["serviceOptions"] = services.map { ["code": $0.string("cn") ?? "", "selected": $0.string("cn") == form?["service"]] }
        values["hasServices"] = !services.isEmpty
        for field in ["code", "label", "profileCode", "profileLabel"] { values[field] = form?[field] ?? "" }
        return try page("services", title: "menu.services", session: session, values: values, status: status)
    }

    func createService(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        var problems: [String: [String]] = [:]
        if form.text("label") == nil { problems["label"] = [PortalTexts.text("field.required", language)] }
        if !Self.isPlausibleCode(form.text("code") ?? "") { problems["code"] = [PortalTexts.text("operator.codeInvalid", language)] }
        guard problems.isEmpty, let code = form.text("code"), let label = form.text("label") else {
            return try await servicesPage(session, person, form: form, problems: problems, status: .badRequest)
        }
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(configuration.directory.services)"
        if let problem = try await add(person, dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["annService"]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: "annLabel", strings: [label]),
        ], language: language) {
            return try await servicesPage(session, person, form: form, problems: [problem.field ?? "form": [problem.message]], status: .badRequest)
        }
        setNotice(session, "operator.created", ["code": code])
        return redirect("/services")
    }

    func createProfile(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        var problems: [String: [String]] = [:]
        if form.text("service") == nil { problems["service"] = [PortalTexts.text("field.required", language)] }
        if form.text("profileLabel") == nil { problems["profileLabel"] = [PortalTexts.text("field.required", language)] }
        if !Self.isPlausibleCode(form.text("profileCode") ?? "") { problems["profileCode"] = [PortalTexts.text("operator.codeInvalid", language)] }
        guard problems.isEmpty, let service = form.text("service"), let code = form.text("profileCode"), let label = form.text("profileLabel") else {
            return try await servicesPage(session, person, form: form, problems: problems, status: .badRequest)
        }
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),cn=\(LDAPText.escapeRDNValue(service)),\(configuration.directory.services)"
        if let problem = try await add(person, dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["annProfile"]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: "annLabel", strings: [label]),
        ], language: language) {
            let field = problem.field == "code" ? "profileCode" : problem.field ?? "profileForm"
            return try await servicesPage(session, person, form: form, problems: [field: [problem.message]], status: .badRequest)
        }
        setNotice(session, "operator.created", ["code": "\(service)/\(code)"])
        return redirect("/services")
    }
}
