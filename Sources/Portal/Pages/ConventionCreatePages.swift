import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import Messages

/// "Créer une convention" (operator): a partner's agreement with its
/// number, libellé, dates and the profiles it grants (R3), as an LDAP Add
/// the server judges (R8: only the operator writes conventions).
extension Portal {
    func createConventionPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        return try await conventionForm(session, person, form: FormData("openDate=\(FormData.encode(PortalDate.display(PortalDate.today())))"), problems: [:])
    }

    func conventionForm(_ session: PortalSession, _ person: PersonSession, form: FormData, problems: [String: [String]], status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let directory = configuration.directory
        let partners: [SearchResultEntry]
        let profiles: [SearchResultEntry]
        do {
            partners = try await entries(person, base: directory.partners, scope: .singleLevel, filter: "(objectClass=annPartner)", attributes: ["cn", "annLabel"])
            profiles = try await entries(person, base: directory.services, scope: .wholeSubtree, filter: "(objectClass=annProfile)", attributes: ["cn"])
        } catch {
            return try failurePage(session, error)
        }
        let chosen = Set(form.all("profiles"))
        var values = Self.problemValues(problems)
        values["partners"] = partners.map { ["code": $0.string("cn") ?? "", "label": $0.string("annLabel") ?? "", "selected": $0.string("cn") == form["partner"]] }
            .sorted { ($0["code"] as? String ?? "") < ($1["code"] as? String ?? "") }
        values["profiles"] = profiles.map { profile -> [String: Any] in
            let name = Self.roleName(profile.objectName, services: directory.services)
            return ["value": profile.objectName, "name": name, "id": "profil-" + Self.htmlID(name), "checked": chosen.contains(profile.objectName)]
        }.sorted { ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "") }
        for field in ["number", "label", "openDate", "closeDate"] { values[field] = form[field] ?? "" }
        return try page("convention-create", title: "conventions.create", session: session, values: values, status: status)
    }

    func createConvention(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        var problems: [String: [String]] = [:]
        if form.text("partner") == nil { problems["partner"] = [PortalTexts.text("field.required", language)] }
        if !Self.isPlausibleCode(form.text("number") ?? "") { problems["number"] = [PortalTexts.text("operator.codeInvalid", language)] }
        let openDate = form.text("openDate").map(PortalDate.generalized)
        let closeDate = form.text("closeDate").map(PortalDate.generalized)
        if form.text("openDate") == nil { problems["openDate"] = [PortalTexts.text("field.required", language)] }
        if case .some(nil) = openDate { problems["openDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        if case .some(nil) = closeDate { problems["closeDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        guard problems.isEmpty, let partner = form.text("partner"), let number = form.text("number"), let open = openDate ?? nil else {
            return try await conventionForm(session, person, form: form, problems: problems, status: .badRequest)
        }
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annConvention"]),
            PartialAttribute(type: "cn", strings: [number]),
            PartialAttribute(type: "annOpenDate", strings: [open]),
        ]
        if let label = form.text("label") { attributes.append(PartialAttribute(type: "annLabel", strings: [label])) }
        if let close = closeDate ?? nil { attributes.append(PartialAttribute(type: "annCloseDate", strings: [close])) }
        let profiles = form.all("profiles")
        if !profiles.isEmpty { attributes.append(PartialAttribute(type: "annGrantedProfile", strings: profiles)) }
        let dn = "cn=\(LDAPText.escapeRDNValue(number)),cn=\(LDAPText.escapeRDNValue(partner)),\(configuration.directory.partners)"
        if let problem = try await add(person, dn: dn, attributes: attributes, language: language) {
            let field = problem.field == "code" ? "number" : problem.field == "roles" ? "profiles" : problem.field ?? "form"
            return try await conventionForm(session, person, form: form, problems: [field: [problem.message]], status: .badRequest)
        }
        setNotice(session, "operator.created", ["code": number])
        return redirect("/conventions/detail?convention=\(FormData.encode(number))")
    }
}
