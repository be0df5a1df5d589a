import Messages
import DirectoryBackend
import Hummingbird
import LDAPProtocol

/// Détail convention → Gestion des groupes: the convention's groups with the
/// tutorial's filters (code, libellé, utilisateur), as the person sees them (R8).
extension Portal {
    static let groupAttributes = ["cn", "annLabel", "annLevel", "annResponsible", "annRole", "annOpenDate", "annCloseDate", "annStatus"]

    func groups(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let language = session.language
        let query = query(request)
        let choice: ConventionChoice
        let convention: ConventionChoice.Convention
        switch try await conventionTarget(session, person, wanted: query.text("convention"), template: "groups", title: "groups.title") {
        case .answered(let response): return response
        case .convention(let found, let selected): (choice, convention) = (found, selected)
        }
        var parts = ["(objectClass=annGroup)"]
        if let code = query.text("code") { parts.append(LDAPText.startsWith("cn", code)) }
        if let label = query.text("libelle") { parts.append(LDAPText.startsWith("annLabel", label)) }
        if let user = query.text("utilisateur") {
            parts.append(LDAPText.equals("member", "uid=\(LDAPText.escapeRDNValue(user)),\(configuration.directory.people)"))
        }
        let filter = LDAPText.and(parts)
        let base = convention.dn
        let entries: [SearchResultEntry]
        do {
            // One page of the server's paged results: a convention with more groups shows its first 500 (filters narrow it).
            entries = try await self.entries(person, base: base, scope: .wholeSubtree, filter: filter, attributes: Self.groupAttributes)
        } catch {
            return try failurePage(session, error)
        }
        let services = configuration.directory.services
        let rows: [[String: Any]] = entries.map { entry in
            func string(_ type: String) -> String { entry.values(of: type).first.map { String(decoding: $0, as: UTF8.self) } ?? "" }
            let status = string("annStatus")
            return [
                "code": string("cn"), "label": string("annLabel"), "level": string("annLevel"),
                "responsible": LDAPText.leafValue(of: string("annResponsible")),
                "roles": entry.values(of: "annRole").map { Self.roleName(String(decoding: $0, as: UTF8.self), services: services) }.joined(separator: ", "),
                "openDate": PortalDate.display(string("annOpenDate")), "closeDate": PortalDate.display(string("annCloseDate")),
                "status": PortalTexts.text(status == "closed" ? "users.statusClosed" : status == "pending" ? "users.statusPending" : "users.statusOpen", language),
                "isOpen": status != "closed",
                "closeLabel": PortalTexts.text("groups.close", language, ["code": string("cn")]),
                "modifyLabel": PortalTexts.text("groups.modifyLabel", language, ["code": string("cn")]),
                "codeQuery": FormData.encode(string("cn")),
            ]
        }.sorted { ($0["code"] as? String ?? "") < ($1["code"] as? String ?? "") }
        return try page("groups", title: "groups.title", session: session, values: [
            "conventions": choice.options(),
            "caption": PortalTexts.text("groups.caption", language, ["convention": convention.number]),
            "code": query.text("code") ?? "", "libelle": query.text("libelle") ?? "", "utilisateur": query.text("utilisateur") ?? "",
            "rows": rows, "hasRows": !rows.isEmpty,
            "convention": convention.number, "conventionQuery": FormData.encode(convention.number),
        ])
    }

    /// SERVICE/PROFILE for a profile DN below ou=services (CDAP/T1); the DN otherwise.
    static func roleName(_ profile: String, services: String) -> String {
        let service = LDAPText.parent(of: profile)
        guard LDAPText.parent(of: service).lowercased() == services.lowercased() else { return profile }
        return "\(LDAPText.leafValue(of: service))/\(LDAPText.leafValue(of: profile))"
    }
}
