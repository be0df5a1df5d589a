import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import LibLDAP
import Messages

/// Gestion des groupes → Modifier: a group's libellé, dates, responsable (chosen,
/// or created on the spot: `ResponsibleCreation`) and "sous-groupe de" changed
/// in one LDAP Modify (R2: all or nothing), and its
/// habilitations: "Assigner rôle" adds a profile the convention grants (R3),
/// "Retirer" removes one; each sent as the person logged in, so that the
/// server judges it (R2, R3, R8). A group out of the person's sight gets the
/// same answer as a missing one.
extension Portal {
    static let groupEditAttributes = groupAttributes + ["annParentGroup"]

    /// The convention named by a request and one of its groups as the person sees it; nil when either is not visible.
    func visibleGroup(_ person: PersonSession, convention number: String?, code: String?) async throws
        -> (convention: ConventionChoice.Convention, dn: String, entry: SearchResultEntry)? {
        guard let code, let convention = try await chosenConvention(person, number) else { return nil }
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(convention.dn)"
        let attributes = Self.groupEditAttributes
        guard let entry = try await person.connection.run({ client in try client.read(dn, attributes: attributes) }) else { return nil }
        return (convention, dn, entry)
    }

    func editGroupPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let query = query(request)
        do {
            guard let code = query.text("code"), let convention = try await chosenConvention(person, query.text("convention")) else {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            // The group, the profiles its convention grants and the convention's groups: one round trip.
            let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(convention.dn)"
            let found = try await person.connection.searchBatch([
                BatchSearch.read(dn, attributes: Self.groupEditAttributes),
                BatchSearch.read(convention.dn, attributes: ["annGrantedProfile"]), Self.groupCodesSearch(convention: convention.dn),
            ])
            guard case .success(let read) = found[0], let entry = read.entries.first else {
                if case .failure(let refusal) = found[0], refusal.code != .noSuchObject { throw refusal }
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            return try await groupEditForm(session, person, group: (convention, dn, entry), form: nil, problems: [:], prefetched: Array(found[1...]))
        } catch {
            return try failurePage(session, error)
        }
    }

    /// The form: the typed values when a post is shown again, else the group's.
    func groupEditForm(
        _ session: PortalSession, _ person: PersonSession, group: (convention: ConventionChoice.Convention, dn: String, entry: SearchResultEntry),
        form: FormData?, problems: [String: [String]], status: HTTPResponse.Status = .ok, responsibleCreated: String? = nil,
        prefetched: [Result<BatchSearchResult, LDAPOperationError>]? = nil
    ) async throws -> Response {
        let language = session.language
        let entry = group.entry
        let code = entry.string("cn") ?? LDAPText.leafValue(of: group.dn)
        let conventionDN = group.convention.dn
        // The profiles the convention grants and its groups (for "sous-groupe de"): one round trip.
        let found: [Result<BatchSearchResult, LDAPOperationError>]
        if let prefetched {
            found = prefetched
        } else {
            found = try await person.connection.searchBatch([
                BatchSearch.read(conventionDN, attributes: ["annGrantedProfile"]), Self.groupCodesSearch(convention: conventionDN),
            ])
        }
        let granted = (try found[0].get()).entries.first?.values(of: "annGrantedProfile").map { String(decoding: $0, as: UTF8.self) } ?? []
        let services = configuration.directory.services
        let current = entry.values(of: "annRole").map { String(decoding: $0, as: UTF8.self) }
        let held = Set(current.map { $0.lowercased() })
        let roles: [[String: Any]] = current.map { role in
            let name = Self.roleName(role, services: services)
            return ["value": role, "name": name, "id": "retirer-" + Self.htmlID(name),
                    "removeLabel": PortalTexts.text("groups.removeRoleLabel", language, ["role": name])]
        }.sorted { ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "") }
        // "Assigner rôle": the profiles the convention grants that the group lacks, by service.
        var byService: [String: [[String: Any]]] = [:]
        for profile in granted where !held.contains(profile.lowercased()) {
            let service = LDAPText.leafValue(of: LDAPText.parent(of: profile))
            byService[service, default: []].append(["value": profile, "name": Self.roleName(profile, services: services),
                                                    "selected": profile == form?["role"]])
        }
        let assignable = byService.keys.sorted().map { ["service": $0, "profiles": byService[$0] ?? []] as [String: Any] }
        let parentCode = form.map { $0["parent"] ?? "" } ?? entry.string("annParentGroup").map(LDAPText.leafValue(of:)) ?? ""
        let allGroups = Self.groupCodes(in: try found[1].get())
        let groups = allGroups.filter { $0 != code }
        var values: [String: Any] = [
            "convention": group.convention.number, "conventionQuery": FormData.encode(group.convention.number),
            "code": code, "codeQuery": FormData.encode(code), "level": entry.string("annLevel") ?? "",
            "status": PortalTexts.text(Self.statusKey(entry.string("annStatus")), language),
            "heading": PortalTexts.text("groups.editTitle", language, ["code": code]),
            "roles": roles, "hasRoles": !roles.isEmpty,
            "assignable": assignable, "hasAssignable": !assignable.isEmpty,
            "parents": groups.map { ["code": $0, "selected": $0 == parentCode] },
        ]
        let stored: [String: String] = [
            "label": entry.string("annLabel") ?? "",
            "responsible": entry.string("annResponsible").map(LDAPText.leafValue(of:)) ?? "",
            "openDate": PortalDate.display(entry.string("annOpenDate") ?? ""),
            "closeDate": PortalDate.display(entry.string("annCloseDate") ?? ""),
        ]
        for (field, value) in stored { values[field] = form.map { $0[field] ?? "" } ?? value }
        // R2: or the responsible created on the spot (attached to this group or another of the convention).
        values.merge(Self.newResponsibleValues(form, groups: allGroups)) { _, new in new }
        if form?["newGroup"] == nil { values["newGroups"] = allGroups.map { ["code": $0, "selected": $0 == code] } }
        if let responsibleCreated {
            values["responsible"] = responsibleCreated
            values["newResponsible"] = false
            values["responsibleCreated"] = PortalTexts.text("groups.responsibleCreatedGroupNot", language, ["identifier": responsibleCreated])
        }
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        values["hasErrors"] = !problems.isEmpty
        return try page("group-edit", title: "groups.modify", session: session, values: values, status: status)
    }

    /// Enregistrer: the changed fields in one Modify.
    func editGroup(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        let group: (convention: ConventionChoice.Convention, dn: String, entry: SearchResultEntry)
        do {
            guard let found = try await visibleGroup(person, convention: form.text("convention"), code: form.text("code")) else {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            group = found
        } catch {
            return try failurePage(session, error)
        }
        var problems: [String: [String]] = [:]
        let createsResponsible = Self.wantsNewResponsible(form)
        for field in ["label", "openDate"] + (createsResponsible ? [] : ["responsible"]) where form.text(field) == nil {
            problems[field] = [PortalTexts.text("field.required", language)]
        }
        if createsResponsible { problems.merge(Self.newResponsibleProblems(form, language: language)) { old, _ in old } }
        let openDate = form.text("openDate").map(PortalDate.generalized)
        let closeDate = form.text("closeDate").map(PortalDate.generalized)
        if case .some(nil) = openDate { problems["openDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        if case .some(nil) = closeDate { problems["closeDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        guard problems.isEmpty, let label = form.text("label"), let open = openDate ?? nil else {
            return try await groupEditForm(session, person, group: group, form: form, problems: problems, status: .badRequest)
        }
        // R2: the responsible created on the spot, before the group is changed to name it.
        var createdIdentifier: String?
        if createsResponsible {
            do {
                switch try await createResponsible(person, convention: group.convention, form: form, language: language) {
                case .created(let identifier, _): createdIdentifier = identifier
                case .refused(let refusals):
                    return try await groupEditForm(session, person, group: group, form: form, problems: refusals, status: .badRequest)
                }
            } catch {
                return try failurePage(session, error)
            }
        }
        guard let responsible = createdIdentifier ?? form.text("responsible") else {
            return try failurePage(session, LDAPOperationError(.other, "no responsible"))
        }
        let entry = group.entry
        let people = configuration.directory.people
        var changes: [ModifyRequest.Change] = []
        func replace(_ type: String, _ values: [String]) {
            let before = entry.values(of: type).map { String(decoding: $0, as: UTF8.self).lowercased() }
            guard Set(before) != Set(values.map { $0.lowercased() }) else { return }
            // Replace with no value removes, and is no error when the attribute is absent (RFC 4511 §4.6).
            changes.append(ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: type, strings: values)))
        }
        replace("annLabel", [label])
        let responsibleDN = "uid=\(LDAPText.escapeRDNValue(responsible)),\(people)"
        if LDAPText.leafValue(of: entry.string("annResponsible") ?? "").lowercased() != responsible.lowercased() {
            replace("annResponsible", [responsibleDN])
        }
        // Dates keep their stored time of day unless the day itself changed.
        if PortalDate.display(entry.string("annOpenDate") ?? "") != PortalDate.display(open) { replace("annOpenDate", [open]) }
        let close = closeDate ?? nil
        if PortalDate.display(entry.string("annCloseDate") ?? "") != close.map(PortalDate.display) ?? "" { replace("annCloseDate", close.map { [$0] } ?? []) }
        let parentDN = form.text("parent").map { "cn=\(LDAPText.escapeRDNValue($0)),\(group.convention.dn)" }
        replace("annParentGroup", parentDN.map { [$0] } ?? [])
        let code = LDAPText.leafValue(of: group.dn)
        if !changes.isEmpty {
            let dn = group.dn
            let requested = changes
            do {
                try await person.connection.run { client in try client.modify(dn: dn, changes: requested) }
            } catch let error as LDAPOperationError {
                let problem = FieldProblem.place(error, language: language)
                if createdIdentifier == nil, FieldProblem.isMissingOrDenied(error) {
                    return try failurePage(session, error)
                }
                // When the responsible was created for it, the form says so and keeps it as the responsible.
                return try await groupEditForm(
                    session, person, group: group, form: form, problems: [problem.field ?? "form": [problem.message]], status: .badRequest,
                    responsibleCreated: createdIdentifier)
            } catch {
                return try failurePage(session, error)
            }
            logger.info("portal: group modified", metadata: ["by": "\(person.profile.dn)", "dn": "\(group.dn)"])
        }
        if let createdIdentifier {
            setNotice(session, "groups.modifiedWithResponsible", ["code": code, "identifier": createdIdentifier])
        } else {
            setNotice(session, changes.isEmpty ? "form.nothingChanged" : "groups.modified", ["code": code])
        }
        return redirect("/groupes/modifier?convention=\(FormData.encode(group.convention.number))&code=\(FormData.encode(code))")
    }

    /// "Assigner rôle": one profile added to the group's roles (R3: the server checks the convention grants it).
    func assignGroupRole(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await changeGroupRole(request, operation: .add, notice: "groups.roleAssigned")
    }

    /// "Retirer": one role removed from the group.
    func removeGroupRole(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await changeGroupRole(request, operation: .delete, notice: "groups.roleRemoved")
    }

    private func changeGroupRole(_ request: Request, operation: ModifyRequest.Change.Operation, notice: String) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        let group: (convention: ConventionChoice.Convention, dn: String, entry: SearchResultEntry)
        do {
            guard let found = try await visibleGroup(person, convention: form.text("convention"), code: form.text("code")) else {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            group = found
        } catch {
            return try failurePage(session, error)
        }
        guard let role = form.text("role") else {
            return try await groupEditForm(
                session, person, group: group, form: nil, problems: ["role": [PortalTexts.text("groups.chooseRole", language)]], status: .badRequest)
        }
        let held = Set(group.entry.values(of: "annRole").map { String(decoding: $0, as: UTF8.self).lowercased() })
        let name = Self.roleName(role, services: configuration.directory.services)
        let code = LDAPText.leafValue(of: group.dn)
        let location = "/groupes/modifier?convention=\(FormData.encode(group.convention.number))&code=\(FormData.encode(code))"
        // Already there (or already gone): nothing to send, the page says where things stand.
        if held.contains(role.lowercased()) == (operation == .add) {
            setNotice(session, notice, ["role": name, "code": code])
            return redirect(location)
        }
        let change = ModifyRequest.Change(operation: operation, modification: PartialAttribute(type: "annRole", strings: [role]))
        let dn = group.dn
        do {
            try await person.connection.run { client in try client.modify(dn: dn, changes: [change]) }
        } catch let error as LDAPOperationError {
            let problem = FieldProblem.place(error, language: language)
            if FieldProblem.isMissingOrDenied(error) {
                return try failurePage(session, error)
            }
            return try await groupEditForm(session, person, group: group, form: nil, problems: ["role": [problem.message]], status: .badRequest)
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: group role changed", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)", "operation": "\(operation)"])
        setNotice(session, notice, ["role": name, "code": code])
        return redirect(location)
    }

    /// The status text key of `annStatus`.
    static func statusKey(_ status: String?) -> String {
        switch status {
        case "closed": "users.statusClosed"
        case "pending": "users.statusPending"
        default: "users.statusOpen"
        }
    }

    /// A value usable in an HTML id (letters, digits, '-', '_').
    static func htmlID(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "-" })
    }
}

extension SearchResultEntry {
    /// The first value of an attribute as text.
    func string(_ type: String) -> String? {
        values(of: type).first.map { String(decoding: $0, as: UTF8.self) }
    }
}
