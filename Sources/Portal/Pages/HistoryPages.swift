import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import LibLDAP
import Messages

/// Historique (R11): who created, changed, attached, closed or reset what,
/// and when, with each changed field's old and new values as the server
/// recorded them, for a convention, a person (its memberships' events
/// included) or a group (its memberships' too), filtered by action, author
/// and dates. Read as the person logged in: the server shows an
/// administrator its conventions' events only (R8). Read one page at a
/// time through the server's paged results (RFC 2696), oldest first, as the
/// server wrote them.
extension Portal {
    static let historyAttributes = ["annActor", "annAction", "annTarget", "annTime", "annChange", "annConcerns"]
    static let historyPageSize = 50
    /// A group's history names its memberships one by one (DN syntax has no substring match): at most this many, the first ones.
    static let historyGroupMembershipLimit = 500

    func history(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let language = session.language
        let query = query(request)
        let choice: ConventionChoice
        let convention: ConventionChoice.Convention
        switch try await conventionTarget(session, person, wanted: query.text("convention"), template: "history", title: "history.title") {
        case .answered(let response): return response
        case .convention(let found, let selected): (choice, convention) = (found, selected)
        }
        let people = configuration.directory.people
        var problems: [String: [String]] = [:]
        var parts = ["(objectClass=annEvent)", LDAPText.equals("annConvention", convention.dn)]
        var subject: String?
        if let user = query.text("utilisateur") {
            guard PortalDirectory.isPlausibleIdentifier(user) else { return try failurePage(session, LDAPOperationError(.noSuchObject, "")) }
            let dn = "uid=\(LDAPText.escapeRDNValue(user)),\(people)"
            parts.append("(|\(LDAPText.equals("annTarget", dn))\(LDAPText.equals("annConcerns", dn)))")
            subject = PortalTexts.text("history.subjectUser", language, ["identifier": user])
        }
        if let group = query.text("groupe") {
            let dn = "cn=\(LDAPText.escapeRDNValue(group)),\(convention.dn)"
            // The group and its memberships: DN syntax has no substring match, so the memberships are named.
            let memberships: [String]
            do {
                let limit = Self.historyGroupMembershipLimit
                // The group (missing or out of sight: the same answer) and its memberships, in one round trip.
                let found = try await person.connection.searchBatch([
                    BatchSearch.read(dn, attributes: ["1.1"]),
                    Self.bounded(base: dn, scope: .singleLevel, filter: "(objectClass=annMembership)", attributes: ["1.1"], limit: limit),
                ])
                guard try found[0].get().entries.first != nil else { throw LDAPOperationError(.noSuchObject, "") }
                memberships = try found[1].get().entries.map(\.objectName)
            } catch {
                return try failurePage(session, error)
            }
            parts.append("(|" + ([dn] + memberships).map { LDAPText.equals("annTarget", $0) }.joined() + ")")
            subject = PortalTexts.text("history.subjectGroup", language, ["code": group])
        }
        if let actor = query.text("auteur") {
            parts.append("(|\(LDAPText.equals("annActor", "uid=\(LDAPText.escapeRDNValue(actor)),\(people)"))\(LDAPText.equals("annActor", "uid=\(LDAPText.escapeRDNValue(actor)),\(configuration.directory.operators)")))")
        }
        if let action = query.text("action") {
            guard Self.historyActions.contains(action) else { return try failurePage(session, LDAPOperationError(.noSuchObject, "")) }
            parts.append(LDAPText.equals("annAction", action))
        }
        if let since = query.text("depuis") {
            if let day = PortalDate.generalized(since) { parts.append("(annTime>=\(day))") } else { problems["depuis"] = [PortalTexts.text("create.dateInvalid", language)] }
        }
        if let until = query.text("jusqua") {
            if let day = PortalDate.generalized(until) { parts.append("(annTime<=\(day.prefix(8))235959Z)") } else { problems["jusqua"] = [PortalTexts.text("create.dateInvalid", language)] }
        }
        var values: [String: Any] = [
            "conventions": choice.options(), "convention": convention.number, "conventionQuery": FormData.encode(convention.number),
            "utilisateur": query.text("utilisateur") ?? "", "groupe": query.text("groupe") ?? "", "auteur": query.text("auteur") ?? "",
            "depuis": query.text("depuis") ?? "", "jusqua": query.text("jusqua") ?? "",
            "actions": Self.historyActions.map { ["value": $0, "label": PortalTexts.text("history.action.\($0)", language), "selected": $0 == query.text("action")] },
            "caption": subject ?? PortalTexts.text("history.subjectConvention", language, ["convention": convention.number]),
        ]
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        guard problems.isEmpty else { return try page("history", title: "history.title", session: session, values: values, status: .badRequest) }

        let filter = LDAPText.and(parts)
        var cookie: [UInt8] = []
        var pageNumber = 1
        if query["page"] == "suivante", let listing = session.historyListing, listing.query == filter, !listing.cookie.isEmpty {
            cookie = listing.cookie
            pageNumber = listing.page + 1
        }
        let base = "ou=history,\(configuration.directory.suffix)"
        let requestCookie = cookie
        let found: (entries: [SearchResultEntry], controls: [LDAPProtocol.LDAPControl])
        do {
            found = try await person.connection.run { client in
                try client.searchPage(
                    base: base, scope: .singleLevel, filter: filter, attributes: Self.historyAttributes, sizeLimit: 0,
                    controls: [PagedResultsControl(size: Self.historyPageSize, cookie: requestCookie).control()])
            }
        } catch {
            return try failurePage(session, error)
        }
        let next = found.controls.first { $0.oid == PagedResultsControl.oid }.flatMap { try? PagedResultsControl($0) }?.cookie ?? []
        var changed = session
        changed.historyListing = PagedListing(query: filter, cookie: next, page: pageNumber)
        sessions.update(changed)
        let services = configuration.directory.services
        // By time; events of the same second keep the order the server returned them in (the order they were written).
        let rows = found.entries.enumerated().sorted { ($0.element.string("annTime") ?? "", $0.offset) < ($1.element.string("annTime") ?? "", $1.offset) }
            .map { Self.historyRow($0.element, language: language, services: services) }
        var filterQuery = "convention=\(FormData.encode(convention.number))"
        for name in ["utilisateur", "groupe", "auteur", "action", "depuis", "jusqua"] {
            if let value = query.text(name) { filterQuery += "&\(name)=\(FormData.encode(value))" }
        }
        values["rows"] = rows
        values["hasRows"] = !rows.isEmpty
        values["pageLabel"] = PortalTexts.text("users.page", language, ["page": "\(pageNumber)"])
        values["hasNext"] = !next.isEmpty
        values["nextQuery"] = filterQuery + "&page=suivante"
        values["hasFirst"] = pageNumber > 1
        values["firstQuery"] = filterQuery
        return try page("history", title: "history.title", session: changed, values: values)
    }

    /// The actions a history can be filtered by (`annAction`, R11).
    static let historyActions = [
        "add", "modify", "delete", "create-user", "close", "reopen", "reattach", "reset-password", "resend-identifier", "change-password",
        "password-recovery", "first-password",
    ]

    /// One event: Date, Auteur, Action, Élément, Modifications.
    static func historyRow(_ entry: SearchResultEntry, language: Language, services: String) -> [String: Any] {
        let action = entry.string("annAction") ?? ""
        let changes = entry.values(of: "annChange").compactMap { HistoryChangeText(stored: String(decoding: $0, as: UTF8.self)) }
        return [
            "time": PortalDate.displayTime(entry.string("annTime") ?? ""),
            "actor": LDAPText.leafValue(of: entry.string("annActor") ?? ""),
            "action": PortalTexts.catalogue["history.action.\(action)"] == nil ? action : PortalTexts.text("history.action.\(action)", language),
            "target": shortTarget(entry.string("annTarget") ?? ""),
            "changes": changes.map { $0.text(language: language, services: services) },
            "hasChanges": !changes.isEmpty,
        ]
    }

    /// `XXX0606XX11`, `T1`, `T1/XXX0606XX11` for a membership.
    static func shortTarget(_ dn: String) -> String {
        if dn.lowercased().hasPrefix("annmemberuid=") {
            return LDAPText.leafValue(of: LDAPText.parent(of: dn)) + "/" + LDAPText.leafValue(of: dn)
        }
        return LDAPText.leafValue(of: dn)
    }
}
