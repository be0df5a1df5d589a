import DirectoryBackend
import Hummingbird
import LDAPProtocol
import Messages

/// Comptes applicatifs (operator): the accounts the online services bind
/// with to read habilitations (R1, R8: each limited to the services it
/// serves). Created with a password the operator types twice; the password
/// lives only in that request (never in a log, a page or the session), and
/// the server stores it hashed.
extension Portal {
    static let applicationPasswordMinimum = 16

    func applications(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        return try await applicationsPage(session, person, form: nil, problems: [:])
    }

    func applicationsPage(_ session: PortalSession, _ person: PersonSession, form: FormData?, problems: [String: [String]], status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let directory = configuration.directory
        let found: [SearchResultEntry]
        let services: [SearchResultEntry]
        do {
            found = try await entries(person, base: directory.operators, scope: .singleLevel, filter: "(objectClass=annServiceAccount)",
                                      attributes: ["uid", "description", "annServiceScope"])
            services = try await entries(person, base: directory.services, scope: .singleLevel, filter: "(objectClass=annService)", attributes: ["cn", "annLabel"])
        } catch {
            return try failurePage(session, error)
        }
        let rows = found.map { entry -> [String: String] in
            ["name": entry.string("uid") ?? "", "bindDN": entry.objectName, "description": entry.string("description") ?? "",
             "services": entry.values(of: "annServiceScope").map { LDAPText.leafValue(of: String(decoding: $0, as: UTF8.self)) }.sorted().joined(separator: ", ")]
        }.sorted { $0["name"] ?? "" < $1["name"] ?? "" }
        let chosen = Set(form?.all("services") ?? [])
        var values = Self.problemValues(problems)
        values["rows"] = rows
        values["hasRows"] = !rows.isEmpty
        values["services"] = services.map { service -> [String: Any] in
            let code = service.string("cn") ?? ""
            return ["code": code, "label": service.string("annLabel") ?? "", "id": "service-" + Self.htmlID(code), "checked": chosen.contains(code)]
        }.sorted { ($0["code"] as? String ?? "") < ($1["code"] as? String ?? "") }
        values["minimum"] = "\(Self.applicationPasswordMinimum)"
        for field in ["name", "description"] { values[field] = form?[field] ?? "" }
        return try page("applications", title: "menu.applications", session: session, values: values, status: status)
    }

    func createApplication(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        var problems: [String: [String]] = [:]
        let password = form["password"] ?? ""
        if !PortalDirectory.isPlausibleIdentifier(form.text("name") ?? "") { problems["name"] = [PortalTexts.text("operator.codeInvalid", language)] }
        if form.all("services").isEmpty { problems["services"] = [PortalTexts.text("applications.serviceRequired", language)] }
        if password.count < Self.applicationPasswordMinimum {
            problems["password"] = [PortalTexts.text("applications.passwordShort", language, ["minimum": "\(Self.applicationPasswordMinimum)"])]
        } else if password != form["passwordConfirmation"] {
            problems["passwordConfirmation"] = [PortalTexts.text("password.mismatch", language)]
        }
        guard problems.isEmpty, let name = form.text("name") else {
            return try await applicationsPage(session, person, form: form, problems: problems, status: .badRequest)
        }
        let directory = configuration.directory
        let services = form.all("services").map { "cn=\(LDAPText.escapeRDNValue($0)),\(directory.services)" }
        let dn = "uid=\(LDAPText.escapeRDNValue(name)),\(directory.operators)"
        if let problem = try await add(person, dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "annServiceAccount"]),
            PartialAttribute(type: "uid", strings: [name]),
            PartialAttribute(type: "cn", strings: [name]),
            PartialAttribute(type: "sn", strings: [name]),
            PartialAttribute(type: "description", strings: [form.text("description") ?? PortalTexts.text("applications.defaultDescription", language)]),
            PartialAttribute(type: "annServiceScope", strings: services),
            PartialAttribute(type: "userPassword", strings: [password]),
        ], language: language) {
            let field = problem.field == "code" ? "name" : problem.field ?? "form"
            return try await applicationsPage(session, person, form: form, problems: [field: [problem.message]], status: .badRequest)
        }
        setNotice(session, "operator.created", ["code": name])
        return redirect("/applications")
    }
}
