import Messages
import DirectoryBackend
import Hummingbird
import LDAPProtocol
import LibLDAP

/// A user's memberships (R5: attached to a group with its own dates): the
/// list on the user's "Autres actions" page, "Rattacher à un groupe" (an LDAP
/// Add of `annMemberUid=<id>,<group>`) and "Clôturer" a membership (its close
/// date set to now), as the person logged in, judged by the server (R5, R8).
extension Portal {
    /// The user's memberships in `convention`, as the person sees them.
    func memberships(_ person: PersonSession, identifier: String, convention: String, language: Language) async throws -> [[String: Any]] {
        Self.membershipRows(try await person.connection.boundedSearch(Self.membershipsSearch(identifier: identifier, convention: convention)).entries,
                            language: language)
    }

    /// The search `memberships` sends, for a batch (at most 500).
    static func membershipsSearch(identifier: String, convention: String) -> BatchSearch {
        bounded(base: convention, scope: .wholeSubtree,
                filter: LDAPText.and(["(objectClass=annMembership)", LDAPText.equals("annMemberUid", identifier)]),
                attributes: ["annOpenDate", "annCloseDate", "annStatus"])
    }

    static func membershipRows(_ entries: [SearchResultEntry], language: Language) -> [[String: Any]] {
        entries.map { entry in
            func string(_ type: String) -> String { entry.values(of: type).first.map { String(decoding: $0, as: UTF8.self) } ?? "" }
            let group = LDAPText.leafValue(of: LDAPText.parent(of: entry.objectName))
            let status = string("annStatus")
            return [
                "group": group, "openDate": PortalDate.display(string("annOpenDate")), "closeDate": PortalDate.display(string("annCloseDate")),
                "status": PortalTexts.text(status == "closed" ? "users.statusClosed" : status == "pending" ? "users.statusPending" : "users.statusOpen", language),
                "isOpen": status != "closed",
                "closeLabel": PortalTexts.text("memberships.closeLabel", language, ["group": group]),
                "reattachLabel": PortalTexts.text("memberships.reattachLabel", language, ["group": group]),
            ]
        }.sorted { ($0["group"] as? String ?? "") < ($1["group"] as? String ?? "") }
    }

    func attachMembership(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        guard let identifier = form.text("identifiant"), PortalDirectory.isPlausibleIdentifier(identifier),
              let convention = try await chosenConvention(person, form.text("convention")), let group = form.text("group")
        else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let language = session.language
        let openDate = form.text("openDate").map(PortalDate.generalized)
        let closeDate = form.text("closeDate").map(PortalDate.generalized)
        if case .some(nil) = openDate { return try failurePage(session, LDAPOperationError(.constraintViolation, PortalTexts.text("create.dateInvalid", language))) }
        if case .some(nil) = closeDate { return try failurePage(session, LDAPOperationError(.constraintViolation, PortalTexts.text("create.dateInvalid", language))) }
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annMembership"]),
            PartialAttribute(type: "annMemberUid", strings: [identifier]),
            PartialAttribute(type: "annMember", strings: ["uid=\(LDAPText.escapeRDNValue(identifier)),\(configuration.directory.people)"]),
        ]
        if let close = closeDate ?? nil { attributes.append(PartialAttribute(type: "annCloseDate", strings: [close])) }
        let typedOpenDate = openDate ?? nil
        let dn = "annMemberUid=\(LDAPText.escapeRDNValue(identifier)),cn=\(LDAPText.escapeRDNValue(group)),\(convention.dn)"
        let added = attributes
        let existed: Bool
        do {
            // R5: a membership that has ended is attached again for a new period (the server keeps the ended one in the history).
            existed = try await person.connection.run { client in
                let before = try client.read(dn, attributes: ["1.1"]) != nil
                // Without a typed date: today for a first period; now for a new one, which may not open before the last one closed (R5).
                let open = typedOpenDate ?? (before ? PortalDate.now() : PortalDate.today())
                try client.add(dn: dn, attributes: added + [PartialAttribute(type: "annOpenDate", strings: [open])])
                return before
            }
        } catch let error as LDAPOperationError where error.code != .noSuchObject && error.code != .insufficientAccessRights {
            // R5's refusals in words, next to nothing but the page they concern.
            return try page("error", title: "error.title", session: session,
                            values: ["message": FieldProblem.place(error, language: language).message], status: .badRequest)
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: membership added", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)", "again": "\(existed)"])
        setNotice(session, existed ? "memberships.reattached" : "memberships.attached", ["identifier": identifier, "group": group])
        return redirect("/utilisateurs/actions?identifiant=\(FormData.encode(identifier))&convention=\(FormData.encode(convention.number))")
    }

    func closeMembership(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        guard let identifier = form.text("identifiant"), PortalDirectory.isPlausibleIdentifier(identifier),
              let convention = try await chosenConvention(person, form.text("convention")), let group = form.text("group")
        else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let dn = "annMemberUid=\(LDAPText.escapeRDNValue(identifier)),cn=\(LDAPText.escapeRDNValue(group)),\(convention.dn)"
        let change = ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [PortalDate.now()]))
        do {
            try await person.connection.run { client in try client.modify(dn: dn, changes: [change]) }
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: membership closed", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)"])
        setNotice(session, "memberships.closed", ["identifier": identifier, "group": group])
        return redirect("/utilisateurs/actions?identifiant=\(FormData.encode(identifier))&convention=\(FormData.encode(convention.number))")
    }

    /// The convention named in a form, if the person sees it (else nil: the same answer as a missing one).
    func chosenConvention(_ person: PersonSession, _ number: String?) async throws -> ConventionChoice.Convention? {
        guard let number else { return nil }
        let choice = try await ConventionChoice.load(person, endpoint: configuration.directory, wanted: number, maxAge: configuration.conventionsKeptSeconds)
        return choice.selected.flatMap { $0.number == number ? $0 : nil }
    }
}
