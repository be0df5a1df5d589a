import Messages
import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import LibLDAP

/// Gestion des groupes: "Créer un groupe" (R2: code, libellé, responsable,
/// sous-groupe de, dates; R3: roles among the profiles the convention
/// grants) as an LDAP Add, and "Clôturer" as a Modify of its close date, both
/// through the person's connection, so that the server judges them (R2, R3, R8).
extension Portal {
    func createGroupPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let wanted = query(request).text("convention")
        let choice: ConventionChoice
        do {
            choice = try await ConventionChoice.load(person, endpoint: configuration.directory, wanted: wanted, maxAge: configuration.conventionsKeptSeconds)
        } catch {
            return try failurePage(session, error)
        }
        guard let convention = choice.selected, wanted.map({ $0 == convention.number }) ?? true else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let defaults = FormData("responsible=\(FormData.encode(person.profile.identifier))")
        return try await groupForm(session, person, convention: convention, form: defaults, problems: [:])
    }

    func groupForm(
        _ session: PortalSession, _ person: PersonSession, convention: ConventionChoice.Convention, form: FormData, problems: [String: [String]],
        status: HTTPResponse.Status = .ok, responsibleCreated: String? = nil
    ) async throws -> Response {
        let dn = convention.dn
        // The profiles the convention grants and its groups: one round trip.
        let found = try? await person.connection.searchBatch([
            BatchSearch.read(dn, attributes: ["annGrantedProfile"]), Self.groupCodesSearch(convention: dn),
        ])
        let granted = (try? found?[0].get())?.entries.first?.values(of: "annGrantedProfile").map { String(decoding: $0, as: UTF8.self) }
        let chosen = Set(form.all("roles"))
        let services = configuration.directory.services
        let groups = (try? found?[1].get()).map(Self.groupCodes(in:)) ?? []
        var values: [String: Any] = [
            "convention": convention.number,
            "roles": (granted ?? []).map { profile in
                ["value": profile, "name": Self.roleName(profile, services: services), "checked": chosen.contains(profile),
                 "id": "role-" + Self.roleName(profile, services: services).replacingOccurrences(of: "/", with: "-")]
            },
            "parents": groups.map { ["code": $0, "selected": $0 == form["parent"]] },
        ]
        for field in ["code", "label", "responsible", "openDate", "closeDate"] { values[field] = form[field] ?? "" }
        values.merge(Self.newResponsibleValues(form, groups: groups)) { _, new in new }
        if let responsibleCreated {
            // The user exists now: it is the responsible chosen, not one to create again.
            values["responsible"] = responsibleCreated
            values["newResponsible"] = false
            values["responsibleCreated"] = PortalTexts.text("groups.responsibleCreatedGroupNot", session.language, ["identifier": responsibleCreated])
        }
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        return try page("group-create", title: "groups.create", session: session, values: values, status: status)
    }

    func createGroup(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
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
        let createsResponsible = Self.wantsNewResponsible(form)
        for field in ["code", "label"] + (createsResponsible ? [] : ["responsible"]) where form.text(field) == nil {
            problems[field] = [PortalTexts.text("field.required", language)]
        }
        if createsResponsible { problems.merge(Self.newResponsibleProblems(form, language: language)) { old, _ in old } }
        let openDate = form.text("openDate").map(PortalDate.generalized)
        let closeDate = form.text("closeDate").map(PortalDate.generalized)
        if case .some(nil) = openDate { problems["openDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        if case .some(nil) = closeDate { problems["closeDate"] = [PortalTexts.text("create.dateInvalid", language)] }
        guard problems.isEmpty, let code = form.text("code"), let label = form.text("label") else {
            return try await groupForm(session, person, convention: convention, form: form, problems: problems, status: .badRequest)
        }
        let people = configuration.directory.people
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(convention.dn)"
        let responsibleDN: String
        var createdIdentifier: String?
        if createsResponsible {
            // R2: the responsible created on the spot. The code is checked first, so that a group
            // that could not be added does not leave a user made for it.
            do {
                if try await person.connection.boundedSearch(.read(dn, attributes: ["1.1"])).entries.first != nil {
                    return try await groupForm(session, person, convention: convention, form: form,
                                               problems: ["code": [PortalTexts.text("groups.codeTaken", language)]], status: .badRequest)
                }
            } catch let error as LDAPOperationError where error.code == .noSuchObject {
                // free
            } catch {
                return try failurePage(session, error)
            }
            do {
                switch try await createResponsible(person, convention: convention, form: form, language: language) {
                case .created(let identifier, let created):
                    responsibleDN = created
                    createdIdentifier = identifier
                case .refused(let refusals):
                    return try await groupForm(session, person, convention: convention, form: form, problems: refusals, status: .badRequest)
                }
            } catch {
                return try failurePage(session, error)
            }
        } else {
            responsibleDN = "uid=\(LDAPText.escapeRDNValue(form.text("responsible") ?? "")),\(people)"
        }
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annGroup"]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: "annLabel", strings: [label]),
            PartialAttribute(type: "annResponsible", strings: [responsibleDN]),
            // R2: the open date is required; today unless given.
            PartialAttribute(type: "annOpenDate", strings: [(openDate ?? nil) ?? PortalDate.today()]),
        ]
        let roles = form.all("roles")
        if !roles.isEmpty { attributes.append(PartialAttribute(type: "annRole", strings: roles)) }
        if let parent = form.text("parent") {
            attributes.append(PartialAttribute(type: "annParentGroup", strings: ["cn=\(LDAPText.escapeRDNValue(parent)),\(convention.dn)"]))
        }
        if let close = closeDate ?? nil { attributes.append(PartialAttribute(type: "annCloseDate", strings: [close])) }
        let added = attributes
        do {
            try await person.connection.run { client in try client.add(dn: dn, attributes: added) }
        } catch let error as LDAPOperationError {
            let problem = FieldProblem.place(error, language: language)
            if createdIdentifier == nil, FieldProblem.isMissingOrDenied(error) {
                return try failurePage(session, error)
            }
            // When the responsible was created for it, the form says so and keeps it as the responsible.
            return try await groupForm(
                session, person, convention: convention, form: form, problems: [problem.field ?? "form": [problem.message]], status: .badRequest,
                responsibleCreated: createdIdentifier)
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: group created", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)"])
        if let createdIdentifier {
            setNotice(session, "groups.createdWithResponsible", ["code": code, "identifier": createdIdentifier])
        } else {
            setNotice(session, "groups.created", ["code": code])
        }
        return redirect("/groupes?convention=\(FormData.encode(convention.number))")
    }

    /// Clôturer: the group's close date set to now (R2, R7: closed, not deleted; the server ends its memberships' effect).
    func closeGroup(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let choice: ConventionChoice
        do {
            choice = try await ConventionChoice.load(person, endpoint: configuration.directory, wanted: form.text("convention"), maxAge: configuration.conventionsKeptSeconds)
        } catch {
            return try failurePage(session, error)
        }
        guard let convention = choice.selected, form.text("convention") == convention.number, let code = form.text("code") else {
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(convention.dn)"
        let change = ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [PortalDate.now()]))
        do {
            try await person.connection.run { client in try client.modify(dn: dn, changes: [change]) }
        } catch {
            return try failurePage(session, error)
        }
        logger.info("portal: group closed", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)"])
        setNotice(session, "groups.closed", ["code": code])
        return redirect("/groupes?convention=\(FormData.encode(convention.number))")
    }
}
