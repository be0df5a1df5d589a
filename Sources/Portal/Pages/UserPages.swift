import Messages
import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import LibLDAP

/// Gestion des utilisateurs: the list with the tutorial's filters
/// (identifiant, nom, prénom, groupe) and columns (a closed user's address
/// shown "Désactivé", its status "Clôturé"), read one page at a time through
/// the server's paged results (RFC 2696), never a whole convention at once;
/// and "Créer un utilisateur" through the server's create-user extended
/// operation (R4: e-mail and phone typed twice, work mode, dates, group).
extension Portal {
    static let userAttributes = ["uid", "sn", "givenName", "mail", "telephoneNumber", "annOpenDate", "annCloseDate", "annStatus"]

    func users(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let language = session.language
        let query = query(request)
        let choice: ConventionChoice
        let convention: ConventionChoice.Convention
        switch try await conventionTarget(session, person, wanted: query.text("convention"), template: "users", title: "users.title") {
        case .answered(let response): return response
        case .convention(let found, let selected): (choice, convention) = (found, selected)
        }
        var parts = ["(objectClass=annUser)", LDAPText.equals("annConvention", convention.dn)]
        if let identifier = query.text("identifiant") { parts.append(LDAPText.startsWith("uid", identifier)) }
        if let sn = query.text("nom") { parts.append(LDAPText.startsWith("sn", sn)) }
        if let givenName = query.text("prenom") { parts.append(LDAPText.startsWith("givenName", givenName)) }
        if let group = query.text("groupe") {
            parts.append(LDAPText.equals("memberOf", "cn=\(LDAPText.escapeRDNValue(group)),\(convention.dn)"))
        }
        let filter = LDAPText.and(parts)
        // The next page continues the search of the same filter on the same connection; anything else starts again.
        let listingKey = filter
        var cookie: [UInt8] = []
        var pageNumber = 1
        if query["page"] == "suivante", let listing = session.userListing, listing.query == listingKey, !listing.cookie.isEmpty {
            cookie = listing.cookie
            pageNumber = listing.page + 1
        }
        let people = configuration.directory.people
        let size = configuration.usersPageSize
        let requestCookie = cookie
        let found: BatchSearchResult
        let groups: [String]
        do {
            // The page of users and the convention's groups (the filter's choices), in one round trip.
            let answers = try await person.connection.searchBatch([
                BatchSearch(base: people, scope: .singleLevel, filter: filter, attributes: Self.userAttributes,
                            controls: [PagedResultsControl(size: size, cookie: requestCookie).control()]),
                Self.groupCodesSearch(convention: convention.dn),
            ])
            found = try answers[0].get()
            groups = (try? answers[1].get()).map(Self.groupCodes(in:)) ?? []
        } catch {
            return try failurePage(session, error)
        }
        let next = found.controls.first { $0.oid == PagedResultsControl.oid }.flatMap { try? PagedResultsControl($0) }?.cookie ?? []
        var changed = session
        changed.userListing = PagedListing(query: listingKey, cookie: next, page: pageNumber)
        sessions.update(changed)

        let rows: [[String: Any]] = found.entries.map { entry in
            var row: [String: Any] = Self.userRow(entry, language: language)
            let identifier = Self.userRow(entry, language: language)["identifier"] ?? ""
            let closed = entry.values(of: "annStatus").first.map { String(decoding: $0, as: UTF8.self) } == "closed"
            row["isClosed"] = closed
            row["actionLabel"] = PortalTexts.text(closed ? "users.reopenLabel" : "users.closeLabel", language, ["identifier": identifier])
            row["modifyLabel"] = PortalTexts.text("users.modifyLabel", language, ["identifier": identifier])
            row["otherLabel"] = PortalTexts.text("users.otherActionsLabel", language, ["identifier": identifier])
            row["identifierQuery"] = FormData.encode(identifier)
            return row
        }.sorted { ($0["identifier"] as? String ?? "") < ($1["identifier"] as? String ?? "") }
        var filterQuery = "convention=\(FormData.encode(convention.number))"
        for name in ["identifiant", "nom", "prenom", "groupe"] {
            if let value = query.text(name) { filterQuery += "&\(name)=\(FormData.encode(value))" }
        }
        return try page("users", title: "users.title", session: changed, values: [
            "conventions": choice.options(),
            "convention": convention.number,
            "conventionQuery": FormData.encode(convention.number),
            "caption": PortalTexts.text("users.caption", language, ["convention": convention.number]),
            "identifiant": query.text("identifiant") ?? "", "nom": query.text("nom") ?? "", "prenom": query.text("prenom") ?? "",
            "groups": groups.map { ["code": $0, "selected": $0 == query.text("groupe")] },
            "rows": rows, "hasRows": !rows.isEmpty,
            "pageLabel": PortalTexts.text("users.page", language, ["page": "\(pageNumber)"]),
            "nextQuery": next.isEmpty ? "" : filterQuery + "&page=suivante",
            "hasNext": !next.isEmpty,
            "firstQuery": pageNumber > 1 ? filterQuery : "",
            "hasFirst": pageNumber > 1,
        ])
    }

    /// One row of the list (R7: a closed user's address shows "Désactivé", its status "Clôturé").
    static func userRow(_ entry: SearchResultEntry, language: Language) -> [String: String] {
        func string(_ type: String) -> String { entry.values(of: type).first.map { String(decoding: $0, as: UTF8.self) } ?? "" }
        let status = string("annStatus").isEmpty ? "open" : string("annStatus")
        let closed = status == "closed"
        let statusKey = switch status {
        case "closed": "users.statusClosed"
        case "pending": "users.statusPending"
        default: "users.statusOpen"
        }
        return [
            "identifier": string("uid"), "sn": string("sn"), "givenName": string("givenName"),
            "mail": closed ? PortalTexts.text("users.disabled", language) : string("mail"),
            "telephoneNumber": string("telephoneNumber"),
            "openDate": PortalDate.display(string("annOpenDate")), "closeDate": PortalDate.display(string("annCloseDate")),
            "status": PortalTexts.text(statusKey, language),
        ]
    }

    /// The codes of a convention's groups, as the person sees them.
    func groupCodes(_ person: PersonSession, convention: String) async throws -> [String] {
        Self.groupCodes(in: try await person.connection.boundedSearch(Self.groupCodesSearch(convention: convention)))
    }

    /// The search `groupCodes` sends, for a batch.
    static func groupCodesSearch(convention: String) -> BatchSearch {
        bounded(base: convention, scope: .wholeSubtree, filter: "(objectClass=annGroup)", attributes: ["cn"])
    }

    static func groupCodes(in found: BatchSearchResult) -> [String] {
        found.entries.compactMap { $0.values(of: "cn").first.map { String(decoding: $0, as: UTF8.self) } }.sorted()
    }

    // MARK: - Créer un utilisateur

    func createUserPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let choice: ConventionChoice
        do {
            choice = try await ConventionChoice.load(person, endpoint: configuration.directory, wanted: query(request).text("convention"), maxAge: configuration.conventionsKeptSeconds)
        } catch {
            return try failurePage(session, error)
        }
        guard let convention = choice.selected, query(request).text("convention").map({ $0 == convention.number }) ?? true else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        return try await createUserForm(session, person, convention: convention, form: FormData(""), problems: [:])
    }

    func createUserForm(
        _ session: PortalSession, _ person: PersonSession, convention: ConventionChoice.Convention, form: FormData, problems: [String: [String]],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let groups = (try? await groupCodes(person, convention: convention.dn)) ?? []
        var values: [String: Any] = [
            "convention": convention.number,
            "groups": groups.map { ["code": $0, "selected": $0 == form["group"]] },
            "sedentary": form["workMode"] == "sedentary", "itinerant": form["workMode"] == "itinerant",
        ]
        for field in ["sn", "givenName", "mail", "mailConfirmation", "telephoneNumber", "telephoneConfirmation", "openDate", "closeDate"] {
            values[field] = form[field] ?? ""
        }
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        values["hasErrors"] = !problems.isEmpty
        return try page("user-create", title: "create.title", session: session, values: values, status: status)
    }

    func createUser(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        let choice: ConventionChoice
        do {
            choice = try await ConventionChoice.load(person, endpoint: configuration.directory, wanted: form.text("convention"), maxAge: configuration.conventionsKeptSeconds)
        } catch {
            return try failurePage(session, error)
        }
        guard let convention = choice.selected, form.text("convention") == convention.number else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        var problems: [String: [String]] = [:]
        for field in ["sn", "givenName", "mail", "mailConfirmation", "group"] where form.text(field) == nil {
            problems[field] = [PortalTexts.text("field.required", language)]
        }
        let openDate = form.text("openDate").map(PortalDate.generalized)
        let closeDate = form.text("closeDate").map(PortalDate.generalized)
        if case .some(nil) = openDate { problems["openDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        if case .some(nil) = closeDate { problems["closeDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        guard problems.isEmpty else { return try await createUserForm(session, person, convention: convention, form: form, problems: problems, status: .badRequest) }
        let request = CreateUserRequest(
            convention: convention.dn,
            group: "cn=\(LDAPText.escapeRDNValue(form.text("group") ?? "")),\(convention.dn)",
            sn: form.text("sn") ?? "", givenName: form.text("givenName") ?? "",
            mail: form.text("mail") ?? "", mailConfirmation: form.text("mailConfirmation") ?? "",
            telephoneNumber: form.text("telephoneNumber"), telephoneConfirmation: form.text("telephoneConfirmation"),
            workMode: form.text("workMode"), openDate: openDate ?? nil, closeDate: closeDate ?? nil)
        let created: CreateUserResponse
        do {
            let value = try await person.connection.run { client in try client.extended(name: CreateUserRequest.oid, value: request.encoded()) }
            guard let value else { throw LDAPOperationError(.other, "the server did not answer with the new identifier") }
            created = try CreateUserResponse(value: value)
        } catch let error as LDAPOperationError {
            let problem = FieldProblem.place(error, language: language)
            if FieldProblem.isMissingOrDenied(error) {
                return try failurePage(session, error)
            }
            return try await createUserForm(
                session, person, convention: convention, form: form, problems: [problem.field ?? "form": [problem.message]], status: .badRequest)
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: user created", metadata: ["by": "\(person.profile.dn)", "dn": "\(created.dn)"])
        setNotice(session, "create.done", ["identifier": created.identifier])
        return redirect("/utilisateurs?convention=\(FormData.encode(convention.number))&identifiant=\(FormData.encode(created.identifier))")
    }
}
