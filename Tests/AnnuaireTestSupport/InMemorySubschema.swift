public import DirectoryBackend
import Foundation

/// The attribute types an in-memory directory publishes in its subschema
/// entry (RFC 4512 §4.2), as the embedded slapd publishes them: those of the
/// schema files the slapd configuration includes (core, cosine,
/// inetorgperson, nis, then the project's own), plus those slapd defines itself
/// (`SlapdBuiltInAttributeTypes`). `InMemorySubschemaTests` checks the
/// names against a real slapd's cn=Subschema, so this list cannot drift.
public enum InMemorySubschema {
    /// The system schema files slapd-config.ldif.template includes, in order.
    static let systemSchemaFiles = ["core.ldif", "cosine.ldif", "inetorgperson.ldif", "nis.ldif"]

    /// Every attribute type description, system files first, then the project schema, then slapd's own.
    public static func attributeTypes(resources: ProjectResources, systemSchemaDirectory: String = "/etc/ldap/schema") throws -> [String] {
        var descriptions: [String] = []
        for file in systemSchemaFiles {
            let text = try String(contentsOf: URL(fileURLWithPath: systemSchemaDirectory).appendingPathComponent(file), encoding: .utf8)
            descriptions += values("olcAttributeTypes", in: text)
        }
        descriptions += values("olcAttributeTypes", in: try String(contentsOf: resources.projectSchema, encoding: .utf8))
        return SlapdBuiltInAttributeTypes.descriptions + descriptions
    }

    /// The values of `attribute` in a cn=config LDIF schema file: lines unfolded, the `{n}` ordering prefix removed.
    static func values(_ attribute: String, in text: String) -> [String] {
        let unfolded = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n ", with: "")
        let prefix = attribute.lowercased() + ":"
        return unfolded.split(separator: "\n").compactMap { line -> String? in
            guard line.lowercased().hasPrefix(prefix) else { return nil }
            var value = line.dropFirst(prefix.count).drop { $0 == " " }
            if value.hasPrefix("{"), let close = value.firstIndex(of: "}") { value = value[value.index(after: close)...] }
            return value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
    }
}
