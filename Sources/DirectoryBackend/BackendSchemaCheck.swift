public import Foundation

/// An external backend (`annuaire serve --backend`) is not configured by
/// Annuaire, so its schema may predate this version's `Schema/annuaire.ldif`
/// (or lack the nis schema): writes would then fail one by one with
/// `undefinedAttributeType` (17). Checked once at start against the
/// backend's subschema entry (RFC 4512 §4.2), so that the operator learns at
/// once what to load.
public enum BackendSchemaCheck {
    /// The attribute types Annuaire writes that the backend does not define (empty: nothing to do).
    public static func missingAttributeTypes(in store: any DirectoryStore, schema: URL) async throws -> [String] {
        // The project's types and the standard ones Annuaire writes (inetOrgPerson, RFC 2307 POSIX, ppolicy validity).
        let wanted = try AttributeTypeDescription.types(inSchemaFile: schema).compactMap(\.names.first)
            + AttributeTablePrimer.standardAttributes.map(\.type)
        guard let subschema = try await store.read("cn=Subschema", attributes: ["attributeTypes"]) else { return wanted }
        let defined = Set(subschema.attributes
            .filter { $0.type.lowercased() == "attributetypes" }
            .flatMap(\.stringValues)
            .flatMap { AttributeTypeDescription($0).names.map { $0.lowercased() } })
        return wanted.filter { !defined.contains($0.lowercased()) }
    }
}
