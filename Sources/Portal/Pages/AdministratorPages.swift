import DirectoryBackend
import Hummingbird
import LDAPProtocol
import Messages

/// Administrateurs (operator): every partner administrator and the
/// conventions it administers (R8), read as the person logged in; each
/// convention leads to its detail page, where administrators are named
/// and removed.
extension Portal {
    func administrators(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let found: [SearchResultEntry]
        do {
            found = try await entries(person, base: configuration.directory.people, scope: .singleLevel, filter: "(annAdministers=*)",
                                      attributes: ["uid", "sn", "givenName", "mail", "annAdministers"])
        } catch {
            return try failurePage(session, error)
        }
        let rows: [[String: Any]] = found.map { entry in
            let conventions = entry.values(of: "annAdministers").map { LDAPText.leafValue(of: String(decoding: $0, as: UTF8.self)) }.sorted()
            return ["identifier": entry.string("uid") ?? "", "sn": entry.string("sn") ?? "", "givenName": entry.string("givenName") ?? "",
                    "mail": entry.string("mail") ?? "", "conventions": conventions.map { ["number": $0, "query": FormData.encode($0)] }]
        }.sorted { ($0["identifier"] as? String ?? "") < ($1["identifier"] as? String ?? "") }
        return try page("administrators", title: "menu.administrators", session: session, values: ["rows": rows, "hasRows": !rows.isEmpty])
    }
}
