import DirectoryBackend
import Hummingbird
import LDAPProtocol
import Messages

/// Mes organismes: the partners the person sees (R8: a partner
/// administrator its own, the operator every one), with their type and
/// conventions; the operator creates a partner (code, libellé, type, mail)
/// as an LDAP Add the server judges.
extension Portal {
    func partners(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        return try await partnersPage(session, person, form: nil, problems: [:])
    }

    func partnersPage(_ session: PortalSession, _ person: PersonSession, form: FormData?, problems: [String: [String]], status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let directory = configuration.directory
        let found: [SearchResultEntry]
        let conventions: [SearchResultEntry]
        let types: [SearchResultEntry]
        do {
            found = try await entries(person, base: directory.partners, scope: .singleLevel, filter: "(objectClass=annPartner)",
                                      attributes: ["cn", "annLabel", "annPartnerType", "mail"])
            conventions = try await entries(person, base: directory.partners, scope: .wholeSubtree, filter: "(objectClass=annConvention)", attributes: ["cn"])
            types = person.profile.role == .operator
                ? try await entries(person, base: partnerTypesBase, scope: .singleLevel, filter: "(objectClass=annPartnerType)", attributes: ["cn", "annLabel"])
                : []
        } catch {
            return try failurePage(session, error)
        }
        // A partner is shown when the person sees it, or sees one of its conventions (an administrator reads its conventions).
        var byPartner: [String: [String]] = [:]
        for convention in conventions {
            byPartner[LDAPText.parent(of: convention.objectName).lowercased(), default: []].append(convention.string("cn") ?? LDAPText.leafValue(of: convention.objectName))
        }
        let rows: [[String: Any]] = found.map { entry in
            let numbers = (byPartner[entry.objectName.lowercased()] ?? []).sorted()
            return [
                "code": entry.string("cn") ?? "", "label": entry.string("annLabel") ?? "",
                "type": LDAPText.leafValue(of: entry.string("annPartnerType") ?? ""), "mail": entry.string("mail") ?? "",
                "conventions": numbers.map { ["number": $0, "query": FormData.encode($0)] },
            ]
        }.sorted { ($0["code"] as? String ?? "") < ($1["code"] as? String ?? "") }
        var values = Self.problemValues(problems)
        values["rows"] = rows
        values["hasRows"] = !rows.isEmpty
        values["isOperator"] = person.profile.role == .operator
        values["types"] = types.map { ["code": $0.string("cn") ?? "", "label": $0.string("annLabel") ?? "", "selected": $0.string("cn") == form?["type"]] }
        for field in ["code", "label", "mail"] { values[field] = form?[field] ?? "" }
        return try page("partners", title: "menu.partners", session: session, values: values, status: status)
    }

    func createPartner(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        var problems: [String: [String]] = [:]
        if form.text("label") == nil { problems["label"] = [PortalTexts.text("field.required", language)] }
        if form.text("type") == nil { problems["type"] = [PortalTexts.text("field.required", language)] }
        if !Self.isPlausibleCode(form.text("code") ?? "") { problems["code"] = [PortalTexts.text("operator.codeInvalid", language)] }
        guard problems.isEmpty, let code = form.text("code"), let label = form.text("label"), let type = form.text("type") else {
            return try await partnersPage(session, person, form: form, problems: problems, status: .badRequest)
        }
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annPartner"]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: "annLabel", strings: [label]),
            PartialAttribute(type: "annPartnerType", strings: ["cn=\(LDAPText.escapeRDNValue(type)),\(partnerTypesBase)"]),
        ]
        if let mail = form.text("mail") { attributes.append(PartialAttribute(type: "mail", strings: [mail])) }
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(configuration.directory.partners)"
        if let problem = try await add(person, dn: dn, attributes: attributes, language: language) {
            return try await partnersPage(session, person, form: form, problems: [problem.field ?? "form": [problem.message]], status: .badRequest)
        }
        setNotice(session, "operator.created", ["code": code])
        return redirect("/organismes")
    }
}
