import DirectoryBackend
import Foundation
import LDAPProtocol
import Messages

/// R2's "responsable … choisi parmi les utilisateurs de la convention, ou créé
/// sur le champ": the group forms' fieldset that creates the responsible
/// while the group is created or modified. The new user is made by the
/// server's create-user operation (R4: the same fields and rules as "Créer
/// un utilisateur", typed twice, a group of the convention, the identifier
/// and a temporary password mailed), as the person logged in; its refusals
/// land next to the fieldset's fields. The group is written only once the
/// user exists; if the server then refuses the group, the form says that
/// the user was created, under which identifier, and keeps it as the
/// responsible, so that sending the form again does not create a second one.
extension Portal {
    /// The fieldset's fields, named as "Créer un utilisateur"'s with a `new` prefix.
    static let newResponsibleFields: [String: String] = [
        "sn": "newSn", "givenName": "newGivenName", "mail": "newMail", "mailConfirmation": "newMailConfirmation",
        "telephoneNumber": "newTelephoneNumber", "telephoneConfirmation": "newTelephoneConfirmation", "workMode": "newWorkMode",
        "group": "newGroup",
    ]

    /// Whether the form asks for the responsible to be created (the box ticked).
    static func wantsNewResponsible(_ form: FormData?) -> Bool { form?["newResponsible"] == "1" }

    /// The template's values for the fieldset.
    static func newResponsibleValues(_ form: FormData?, groups: [String]) -> [String: Any] {
        var values: [String: Any] = [
            "newResponsible": wantsNewResponsible(form),
            "newSedentary": form?["newWorkMode"] == "sedentary", "newItinerant": form?["newWorkMode"] == "itinerant",
            "newGroups": groups.map { ["code": $0, "selected": $0 == form?["newGroup"]] },
        ]
        for field in newResponsibleFields.values where field != "newWorkMode" && field != "newGroup" { values[field] = form?[field] ?? "" }
        return values
    }

    /// What is missing before anything is sent (the server checks the rest: R4).
    static func newResponsibleProblems(_ form: FormData, language: Language) -> [String: [String]] {
        var problems: [String: [String]] = [:]
        for field in ["newSn", "newGivenName", "newMail", "newMailConfirmation", "newGroup"] where form.text(field) == nil {
            problems[field] = [PortalTexts.text("field.required", language)]
        }
        return problems
    }

    enum ResponsibleCreation {
        case created(identifier: String, dn: String)
        /// Refused by the server: the problems by field of the fieldset.
        case refused([String: [String]])
    }

    /// Creates the responsible as a user of `convention` (R4) through the person's connection.
    func createResponsible(
        _ person: PersonSession, convention: ConventionChoice.Convention, form: FormData, language: Language
    ) async throws -> ResponsibleCreation {
        let request = CreateUserRequest(
            convention: convention.dn,
            group: "cn=\(LDAPText.escapeRDNValue(form.text("newGroup") ?? "")),\(convention.dn)",
            sn: form.text("newSn") ?? "", givenName: form.text("newGivenName") ?? "",
            mail: form.text("newMail") ?? "", mailConfirmation: form.text("newMailConfirmation") ?? "",
            telephoneNumber: form.text("newTelephoneNumber"), telephoneConfirmation: form.text("newTelephoneConfirmation"),
            workMode: form.text("newWorkMode"), openDate: nil, closeDate: nil)
        do {
            let value = try await person.connection.run { client in try client.extended(name: CreateUserRequest.oid, value: request.encoded()) }
            guard let value else { throw LDAPOperationError(.other, "the server did not answer with the new identifier") }
            let created = try CreateUserResponse(value: value)
            logger.info("portal: responsible created", metadata: ["by": "\(person.profile.dn)", "dn": "\(created.dn)"])
            return .created(identifier: created.identifier, dn: created.dn)
        } catch let error as LDAPOperationError where error.code != .noSuchObject && error.code != .insufficientAccessRights {
            let problem = FieldProblem.place(error, language: language)
            return .refused([problem.field.flatMap { Self.newResponsibleFields[$0] } ?? "newResponsible": [problem.message]])
        }
    }
}
