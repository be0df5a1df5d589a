import Hummingbird

/// Mes conventions: the conventions the person sees (R8), each leading to
/// its groups and its users.
extension Portal {
    func conventions(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let choice: ConventionChoice
        do {
            choice = try await ConventionChoice.load(person, endpoint: configuration.directory, wanted: nil, maxAge: configuration.conventionsKeptSeconds)
        } catch {
            return try failurePage(session, error)
        }
        return try page("conventions", title: "menu.conventions", session: session, values: [
            "conventions": choice.all.map { ["number": $0.number, "label": $0.label, "query": FormData.encode($0.number)] },
            "hasConventions": !choice.all.isEmpty,
            "isOperator": person.profile.role == .operator,
        ])
    }
}
