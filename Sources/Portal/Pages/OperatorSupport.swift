import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import LibLDAP
import Messages

/// What the operator's screens share (partner types, partners, services and
/// profiles, conventions, administrators, application accounts): reads and
/// adds through the person's own connection, so that the server decides who
/// may (R8: the catalogue is the operator's), and a refusal turned into a
/// problem shown next to its field.
extension Portal {
    /// The entries below `base`, as the person sees them (at most `limit`: the catalogue is small; beyond, the first ones).
    /// One search bounded by its size limit, not a paged sequence: the server answers it in one go.
    func entries(_ person: PersonSession, base: String, scope: SearchRequest.Scope, filter: String, attributes: [String], limit: Int = 500)
        async throws -> [SearchResultEntry] {
        try await person.connection.boundedSearch(Self.bounded(base: base, scope: scope, filter: filter, attributes: attributes, limit: limit)).entries
    }

    /// The search `entries` sends, for a batch.
    static func bounded(base: String, scope: SearchRequest.Scope, filter: String, attributes: [String], limit: Int = 500) -> BatchSearch {
        BatchSearch(base: base, scope: scope, filter: filter, attributes: attributes, sizeLimit: limit)
    }

    /// Sends an LDAP Add as the person: nil when it was made, else where and why it was refused.
    func add(_ person: PersonSession, dn: String, attributes: [PartialAttribute], language: Language) async throws -> FieldProblem? {
        do {
            try await person.connection.run { client in try client.add(dn: dn, attributes: attributes) }
            logger.info("portal: entry added", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)"])
            return nil
        } catch let error as LDAPOperationError {
            return Self.catalogueProblem(error, language: language)
        }
    }

    /// Sends an LDAP Modify as the person: nil when it was made, else why it was refused.
    func modify(_ person: PersonSession, dn: String, changes: [ModifyRequest.Change], language: Language) async throws -> FieldProblem? {
        do {
            try await person.connection.run { client in try client.modify(dn: dn, changes: changes) }
            logger.info("portal: entry modified", metadata: ["by": "\(person.profile.dn)", "dn": "\(dn)"])
            return nil
        } catch let error as LDAPOperationError {
            return Self.catalogueProblem(error, language: language)
        }
    }

    /// A refusal of a catalogue form: a code already taken lands on the code; a refused or missing
    /// entry reads the same (R8); anything else as `FieldProblem` places it.
    static func catalogueProblem(_ error: LDAPOperationError, language: Language) -> FieldProblem {
        if error.code == .entryAlreadyExists {
            return FieldProblem(field: "code", message: PortalTexts.text("operator.codeTaken", language))
        }
        if error.code == .insufficientAccessRights || (error.code == .unwillingToPerform && error.diagnosticMessage.contains("R8")) {
            return FieldProblem(field: nil, message: PortalTexts.text("operator.refused", language) + (FieldProblem.ruleID(error.diagnosticMessage).map { " (\($0))" } ?? ""))
        }
        return FieldProblem.place(error, language: language)
    }

    /// A catalogue code as people type it: letters, digits, '-', '_', '.', at most 32.
    static func isPlausibleCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 32 && code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }

    /// The `error_<field>` values of a template for problems.
    static func problemValues(_ problems: [String: [String]]) -> [String: Any] {
        var values: [String: Any] = ["hasErrors": !problems.isEmpty]
        for (field, messages) in problems { values["error_\(field)"] = ["messages": messages] }
        return values
    }

    /// The partner types' container.
    var partnerTypesBase: String { "ou=partnerTypes,\(configuration.directory.suffix)" }
}
