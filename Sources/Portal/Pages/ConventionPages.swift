import DirectoryBackend
import Hummingbird
import LDAPProtocol
import LibLDAP
import Messages

/// Mes conventions: the conventions the person sees (R8), each leading to
/// its groups and its users. The operator, who sees every convention, reads
/// them one page at a time through the server's paged results (RFC 2696),
/// like the users list, never all at once.
extension Portal {
    func conventions(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        if person.profile.role == .operator { return try await operatorConventions(request, session, person) }
        let choice: ConventionChoice
        do {
            choice = try await ConventionChoice.load(person, endpoint: configuration.directory, wanted: nil, maxAge: configuration.conventionsKeptSeconds)
        } catch {
            return try failurePage(session, error)
        }
        return try page("conventions", title: "menu.conventions", session: session, values: [
            "conventions": choice.all.map { ["number": $0.number, "label": $0.label, "query": FormData.encode($0.number)] },
            "hasConventions": !choice.all.isEmpty,
            "isOperator": false,
        ])
    }

    private func operatorConventions(_ request: Request, _ session: PortalSession, _ person: PersonSession) async throws -> Response {
        let language = session.language
        let filter = "(objectClass=annConvention)"
        // The next page continues the same search on the same connection; anything else starts again.
        var cookie: [UInt8] = []
        var pageNumber = 1
        if query(request)["page"] == "suivante", let listing = session.conventionListing, listing.query == filter, !listing.cookie.isEmpty {
            cookie = listing.cookie
            pageNumber = listing.page + 1
        }
        let found: BatchSearchResult
        do {
            found = try await person.connection.boundedSearch(BatchSearch(
                base: configuration.directory.partners, scope: .wholeSubtree, filter: filter, attributes: ["cn", "annLabel"],
                controls: [PagedResultsControl(size: configuration.conventionsPageSize, cookie: cookie).control()]))
        } catch {
            return try failurePage(session, error)
        }
        let next = found.controls.first { $0.oid == PagedResultsControl.oid }.flatMap { try? PagedResultsControl($0) }?.cookie ?? []
        var changed = session
        changed.conventionListing = PagedListing(query: filter, cookie: next, page: pageNumber)
        sessions.update(changed)
        let rows = found.entries.map { entry -> [String: Any] in
            let number = entry.string("cn") ?? LDAPText.leafValue(of: entry.objectName)
            return ["number": number, "label": entry.string("annLabel") ?? "", "query": FormData.encode(number)]
        }.sorted { ($0["number"] as? String ?? "") < ($1["number"] as? String ?? "") }
        return try page("conventions", title: "menu.conventions", session: changed, values: [
            "conventions": rows, "hasConventions": !rows.isEmpty, "isOperator": true, "paged": true,
            "pageLabel": PortalTexts.text("users.page", language, ["page": "\(pageNumber)"]),
            "hasNext": !next.isEmpty, "hasFirst": pageNumber > 1,
        ])
    }
}
