import AnnuaireTestSupport
import DirectoryBackend
import LDAPProtocol
import Testing

/// The in-memory store stands in for slapd in the rules' tests only if it
/// publishes the same attribute types (RFC 4512 §4.2): the server resolves
/// every name a request uses against them and canonicalises DN-valued ones.
@Suite("The in-memory subschema is slapd's")
struct InMemorySubschemaTests {
    @Test("every attribute type slapd publishes, with its names and whether its values are DNs, is published by the in-memory store, and no other")
    func sameAttributeTypes() async throws {
        let published = try await TestDirectory.with(demo: false) { directory in
            try await AttributeTypeRegistry.load(from: directory.store)
        }
        let mine = AttributeTypeRegistry(descriptions: try InMemorySubschema.attributeTypes(resources: TestDirectory.resources))
        func summary(_ registry: AttributeTypeRegistry) -> Set<String> {
            Set(registry.types.map { type in
                "\(type.oid) \(type.names.map { $0.lowercased() }.joined(separator: "|")) dn=\(registry.hasDNSyntax(type))"
            })
        }
        let slapdOnly = summary(published).subtracting(summary(mine))
        let memoryOnly = summary(mine).subtracting(summary(published))
        #expect(slapdOnly.isEmpty, "published by slapd only: \(slapdOnly.sorted())")
        #expect(memoryOnly.isEmpty, "published in memory only: \(memoryOnly.sorted())")
    }
}
