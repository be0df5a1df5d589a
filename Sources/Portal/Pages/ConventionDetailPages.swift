import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import LibLDAP
import Messages

/// Détail convention: its partner, dates, the profiles it grants (R3: the
/// only ones its groups may hold) and its administrators (R8). The operator
/// grants or withdraws a profile and names or removes an administrator
/// (chosen among the convention's users), each an LDAP Modify the server
/// judges; a partner administrator sees the same page without the forms.
/// A convention out of sight gets the same answer as a missing one.
extension Portal {
    func conventionDetail(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        do {
            guard let convention = try await chosenConvention(person, query(request).text("convention")) else {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            return try await conventionDetailPage(session, person, convention: convention, problems: [:])
        } catch {
            return try failurePage(session, error)
        }
    }

    func conventionDetailPage(
        _ session: PortalSession, _ person: PersonSession, convention: ConventionChoice.Convention, problems: [String: [String]],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = session.language
        let directory = configuration.directory
        let conventionDN = convention.dn
        let isOperator = person.profile.role == .operator
        // The convention, its administrators and (for the operator) the profiles' catalogue, in one round trip.
        var searches = [
            BatchSearch.read(conventionDN, attributes: ["cn", "annLabel", "annOpenDate", "annCloseDate", "annStatus", "annGrantedProfile"]),
            Self.bounded(base: directory.people, scope: .singleLevel, filter: LDAPText.equals("annAdministers", conventionDN),
                         attributes: ["uid", "sn", "givenName", "mail"]),
        ]
        if isOperator {
            searches.append(Self.bounded(base: directory.services, scope: .wholeSubtree, filter: "(objectClass=annProfile)", attributes: ["cn"]))
        }
        let found = try await person.connection.searchBatch(searches)
        guard case .success(let read) = found[0], let entry = read.entries.first else {
            if case .failure(let refusal) = found[0], refusal.code != .noSuchObject { throw refusal }
            return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
        }
        let administrators = try found[1].get().entries
        let catalogue = isOperator ? try found[2].get().entries : []
        let granted = entry.values(of: "annGrantedProfile").map { String(decoding: $0, as: UTF8.self) }
        let grantedSet = Set(granted.map { $0.lowercased() })
        var values = Self.problemValues(problems)
        values["convention"] = convention.number
        values["conventionQuery"] = FormData.encode(convention.number)
        values["heading"] = PortalTexts.text("conventions.detailTitle", language, ["convention": convention.number])
        values["label"] = entry.string("annLabel") ?? ""
        values["partner"] = LDAPText.leafValue(of: LDAPText.parent(of: conventionDN))
        values["openDate"] = PortalDate.display(entry.string("annOpenDate") ?? "")
        values["closeDate"] = PortalDate.display(entry.string("annCloseDate") ?? "")
        values["status"] = PortalTexts.text(Self.statusKey(entry.string("annStatus")), language)
        values["isOperator"] = isOperator
        values["granted"] = granted.map { profile -> [String: Any] in
            let name = Self.roleName(profile, services: directory.services)
            return ["value": profile, "name": name, "id": "retirer-profil-" + Self.htmlID(name),
                    "label": PortalTexts.text("conventions.withdrawLabel", language, ["profile": name])]
        }.sorted { ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "") }
        values["hasGranted"] = !granted.isEmpty
        let grantable = catalogue.map(\.objectName).filter { !grantedSet.contains($0.lowercased()) }
            .map { ["value": $0, "name": Self.roleName($0, services: directory.services)] }.sorted { $0["name"] ?? "" < $1["name"] ?? "" }
        values["grantable"] = grantable
        values["hasGrantable"] = !grantable.isEmpty
        values["administrators"] = administrators.map { admin -> [String: Any] in
            let identifier = admin.string("uid") ?? ""
            return ["identifier": identifier, "sn": admin.string("sn") ?? "", "givenName": admin.string("givenName") ?? "", "mail": admin.string("mail") ?? "",
                    "label": PortalTexts.text("administrators.removeLabel", language, ["identifier": identifier, "convention": convention.number])]
        }.sorted { ($0["identifier"] as? String ?? "") < ($1["identifier"] as? String ?? "") }
        values["hasAdministrators"] = !administrators.isEmpty
        return try page("convention-detail", title: "conventions.detail", session: session, values: values, status: status)
    }

    /// Accorder / Retirer a profile (operator; R3: the server refuses withdrawing a profile a group still holds, if it does).
    func grantProfile(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await conventionChange(request, notice: "conventions.grantedNotice") { form, _ in
            guard let profile = form.text("profile") else { return nil }
            return (.add, PartialAttribute(type: "annGrantedProfile", strings: [profile]), "profile", profile)
        }
    }

    func withdrawProfile(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await conventionChange(request, notice: "conventions.withdrawn") { form, _ in
            guard let profile = form.text("profile") else { return nil }
            return (.delete, PartialAttribute(type: "annGrantedProfile", strings: [profile]), "profile", profile)
        }
    }

    /// Names a user of the convention its administrator (R8), or removes one.
    func addAdministrator(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await conventionChange(request, notice: "administrators.added", onUser: true) { form, convention in
            guard let identifier = form.text("identifiant"), PortalDirectory.isPlausibleIdentifier(identifier) else { return nil }
            return (.add, PartialAttribute(type: "annAdministers", strings: [convention.dn]), "identifiant", identifier)
        }
    }

    func removeAdministrator(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        try await conventionChange(request, notice: "administrators.removed", onUser: true) { form, convention in
            guard let identifier = form.text("identifiant"), PortalDirectory.isPlausibleIdentifier(identifier) else { return nil }
            return (.delete, PartialAttribute(type: "annAdministers", strings: [convention.dn]), "identifiant", identifier)
        }
    }

    /// One Modify of the convention (or of a user, for its administrators) from the detail page's forms.
    private func conventionChange(
        _ request: Request, notice: String, onUser: Bool = false,
        change: (FormData, ConventionChoice.Convention) -> (ModifyRequest.Change.Operation, PartialAttribute, String, String)?
    ) async throws -> Response {
        let (session, person) = try personSession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        let language = session.language
        let convention: ConventionChoice.Convention
        do {
            guard let found = try await chosenConvention(person, form.text("convention")) else {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            convention = found
        } catch {
            return try failurePage(session, error)
        }
        guard let (operation, modification, field, value) = change(form, convention) else {
            return try await conventionDetailPage(session, person, convention: convention,
                                                  problems: [onUser ? "identifiant" : "profile": [PortalTexts.text("field.required", language)]], status: .badRequest)
        }
        let dn = onUser ? "uid=\(LDAPText.escapeRDNValue(value)),\(configuration.directory.people)" : convention.dn
        if onUser, operation == .add {
            // R8: an administrator is chosen among the convention's users.
            let member = try await person.connection.run { client in try client.read(dn, attributes: ["annConvention"]) }
            let conventions = member?.values(of: "annConvention").map { String(decoding: $0, as: UTF8.self).lowercased() } ?? []
            guard conventions.contains(convention.dn.lowercased()) else {
                return try await conventionDetailPage(session, person, convention: convention,
                                                      problems: [field: [PortalTexts.text("administrators.notAUser", language)]], status: .badRequest)
            }
        }
        if let problem = try await modify(person, dn: dn, changes: [ModifyRequest.Change(operation: operation, modification: modification)], language: language) {
            if problem.field == nil, problem.message == PortalTexts.text("error.notFoundOrDenied", language) {
                return try failurePage(session, LDAPOperationError(.noSuchObject, ""))
            }
            return try await conventionDetailPage(session, person, convention: convention, problems: [field: [problem.message]], status: .badRequest)
        }
        let shown = onUser ? value : Self.roleName(value, services: configuration.directory.services)
        setNotice(session, notice, ["value": shown, "convention": convention.number])
        return redirect("/conventions/detail?convention=\(FormData.encode(convention.number))")
    }
}
