import Foundation

/// An attribute type description as RFC 4512 §4.1.2 writes it
/// (`( oid NAME 'a' … SYNTAX oid{len} … )`): what Annuaire reads of the
/// project schema's types and of a backend's subschema.
struct AttributeTypeDescription {
    /// `NAME 'a'` or `NAME ( 'a' 'b' )`.
    let names: [String]
    /// The syntax OID, without its length bound.
    let syntax: String?

    init(_ text: String) {
        if let range = text.range(of: " NAME ") {
            let rest = text[range.upperBound...].drop { $0 == " " }
            let list = rest.hasPrefix("(") ? rest.dropFirst().prefix { $0 != ")" } : rest.prefix { $0 != " " }
            names = list.split(separator: "'").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } else {
            names = []
        }
        syntax = text.range(of: " SYNTAX ").flatMap { range in
            text[range.upperBound...].split(separator: " ", maxSplits: 1).first.map { String($0.split(separator: "{").first ?? $0) }
        }
    }

    /// The attribute types of a cn=config schema file (its `olcAttributeTypes`), e.g. `Schema/annuaire.ldif`.
    static func types(inSchemaFile file: URL) throws -> [AttributeTypeDescription] {
        EmbeddedSlapd.schemaValues("olcAttributeTypes", in: try String(contentsOf: file, encoding: .utf8)).map(AttributeTypeDescription.init)
    }
}
