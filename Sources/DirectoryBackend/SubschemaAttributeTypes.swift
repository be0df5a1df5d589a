public import LDAPProtocol

extension AttributeTypeRegistry {
    /// The attribute types the store's subschema entry publishes (RFC 4512 §4.2, `attributeTypes`):
    /// the spellings slapd itself accepts, so that Annuaire resolves every one of them as slapd does.
    public static func load(from store: any DirectoryStore, subschema: String = "cn=Subschema") async throws -> AttributeTypeRegistry {
        guard let entry = try await store.read(subschema, attributes: ["attributeTypes"]) else {
            throw LDAPOperationError(.unavailable, "the directory store publishes no subschema entry (\(subschema))")
        }
        let descriptions = entry.values(of: "attributeTypes").map { String(decoding: $0, as: UTF8.self) }
        let registry = AttributeTypeRegistry(descriptions: descriptions)
        guard !registry.types.isEmpty else {
            throw LDAPOperationError(.unavailable, "the directory store's subschema entry lists no attribute type")
        }
        return registry
    }
}
