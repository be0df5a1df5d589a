import DirectoryBackend
import Hummingbird
import LDAPProtocol
import Messages

/// Les types de partenaires (operator): the categories partners belong to
/// (`annPartnerType` under ou=partnerTypes: a code and a libellé), listed and
/// created as the person logged in; the server lets only the operator write
/// the catalogue (R8).
extension Portal {
    func partnerTypes(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        return try await partnerTypesPage(session, person, form: nil, problems: [:])
    }

    func partnerTypesPage(_ session: PortalSession, _ person: PersonSession, form: FormData?, problems: [String: [String]], status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let found: [SearchResultEntry]
        do {
            found = try await entries(person, base: partnerTypesBase, scope: .singleLevel, filter: "(objectClass=annPartnerType)", attributes: ["cn", "annLabel"])
        } catch {
            return try failurePage(session, error)
        }
        let rows = found.map { ["code": $0.string("cn") ?? "", "label": $0.string("annLabel") ?? ""] }.sorted { $0["code"] ?? "" < $1["code"] ?? "" }
        var values = Self.problemValues(problems)
        values["rows"] = rows
        values["hasRows"] = !rows.isEmpty
        values["isOperator"] = person.profile.role == .operator
        values["code"] = form?["code"] ?? ""
        values["label"] = form?["label"] ?? ""
        return try page("partner-types", title: "menu.partnerTypes", session: session, values: values, status: status)
    }

    func createPartnerType(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        var problems: [String: [String]] = [:]
        if form.text("label") == nil { problems["label"] = [PortalTexts.text("field.required", language)] }
        if !Self.isPlausibleCode(form.text("code") ?? "") { problems["code"] = [PortalTexts.text("operator.codeInvalid", language)] }
        guard problems.isEmpty, let code = form.text("code"), let label = form.text("label") else {
            return try await partnerTypesPage(session, person, form: form, problems: problems, status: .badRequest)
        }
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(partnerTypesBase)"
        if let problem = try await add(person, dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["annPartnerType"]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: "annLabel", strings: [label]),
        ], language: language) {
            return try await partnerTypesPage(session, person, form: form, problems: [problem.field ?? "form": [problem.message]], status: .badRequest)
        }
        setNotice(session, "operator.created", ["code": code])
        return redirect("/types-partenaires")
    }
}
