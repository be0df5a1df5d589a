public import Foundation

/// An external backend (`annuaire serve --backend`) is not configured by
/// Annuaire, so its schema may predate this version's `Schema/annuaire.ldif`
/// (or lack the nis schema): writes would then fail one by one with
/// `undefinedAttributeType` (17). Checked once at start against the
/// backend's subschema entry (RFC 4512 §4.2), so that the operator learns at
/// once what to load.
public enum BackendSchemaCheck {
    /// Attribute types from other schemas that Annuaire writes (RFC 2307 for POSIX identities, ppolicy validity).
    static let otherRequiredTypes = ["uidNumber", "gidNumber", "homeDirectory", "loginShell", "pwdStartTime", "pwdEndTime"]

    /// The attribute types Annuaire writes that the backend does not define (empty: nothing to do).
    public static func missingAttributeTypes(in store: any DirectoryStore, schema: URL) async throws -> [String] {
        let text = try String(contentsOf: schema, encoding: .utf8)
        let wanted = EmbeddedSlapd.schemaValues("olcAttributeTypes", in: text).compactMap { names(in: $0).first } + otherRequiredTypes
        guard let subschema = try await store.read("cn=Subschema", attributes: ["attributeTypes"]) else { return wanted }
        let defined = Set(subschema.attributes
            .filter { $0.type.lowercased() == "attributetypes" }
            .flatMap(\.stringValues)
            .flatMap { names(in: $0).map { $0.lowercased() } })
        return wanted.filter { !defined.contains($0.lowercased()) }
    }

    /// The NAMEs of an attribute type description: `NAME 'a'` or `NAME ( 'a' 'b' )`.
    static func names(in description: String) -> [String] {
        guard let range = description.range(of: " NAME ") else { return [] }
        let rest = description[range.upperBound...].drop { $0 == " " }
        let list: Substring
        if rest.hasPrefix("(") {
            list = rest.dropFirst().prefix { $0 != ")" }
        } else {
            list = rest.prefix { $0 != " " }
        }
        return list.split(separator: "'").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
