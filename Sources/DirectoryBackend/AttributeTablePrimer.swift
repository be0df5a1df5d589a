public import Foundation
import LDAPProtocol

/// Works around a slapd 2.5.13 back-mdb defect that LDAP transactions
/// (RFC 5805) trigger. back-mdb numbers each attribute type the first time an
/// entry stores it, in a table kept both in memory and in the database. When
/// an operation of a transaction is the first to store a type and a *later*
/// operation of the same transaction fails (an assertion, RFC 4528; an entry
/// that already exists…), the transaction is rolled back but the number stays
/// in memory only: the next entry that stores that type is written with a
/// number the database does not know, and from then on reading it fails with
/// "internal error in mdb_entry_decode" (80), after a restart too.
/// Reproduced on this machine with ldapmodify alone (README, "Known limit").
///
/// So before any transaction, every attribute type Annuaire's transactions
/// write is stored once outside a transaction, in a scratch entry deleted at
/// once: each is then numbered in the database for good, and no transaction
/// is the first to store it.
public enum AttributeTablePrimer {
    /// Standard attribute types Annuaire writes inside transactions (with a valid value each).
    static let standardAttributes: [(type: String, value: String)] = [
        ("cn", "primer"), ("sn", "primer"), ("givenName", "primer"), ("displayName", "primer"), ("mail", "primer@example.org"),
        ("telephoneNumber", "0000"), ("mobile", "0000"), ("uid", "primer"), ("description", "primer"), ("preferredLanguage", "fr"),
        ("uidNumber", "0"), ("gidNumber", "0"), ("homeDirectory", "/nonexistent"), ("loginShell", "/bin/false"), ("gecos", "primer"),
        ("pwdStartTime", "20000101000000Z"), ("pwdEndTime", "20000101000000Z"),
    ]

    /// RDN of the scratch entry, below the suffix.
    static let rdn = "cn=annuaire-attribute-primer"

    /// Stores each attribute type of `schema` (the project's cn=config schema file) and of
    /// `standardAttributes` once, outside a transaction; returns how many types were stored.
    @discardableResult
    public static func prime(_ store: any DirectoryStore, suffix: String, schema: URL) async throws -> Int {
        var attributes = standardAttributes.map { PartialAttribute(type: $0.type, strings: [$0.value]) }
        for type in try AttributeTypeDescription.types(inSchemaFile: schema) {
            guard let name = type.names.first else { continue }
            attributes.append(PartialAttribute(type: name, strings: [value(forSyntax: type.syntax, suffix: suffix)]))
        }
        attributes.append(PartialAttribute(type: "member", strings: [suffix]))
        attributes.append(PartialAttribute(type: "objectClass", strings: ["applicationProcess", "extensibleObject"]))
        let dn = "\(rdn),\(suffix)"
        // A scratch entry left by an interrupted start goes first.
        _ = try? await store.delete(dn: dn, controls: [])
        _ = try await store.add(dn: dn, attributes: attributes, controls: [])
        _ = try await store.delete(dn: dn, controls: [])
        return attributes.count - 1
    }

    /// A value valid for an attribute syntax (RFC 4517) the project's schema uses.
    static func value(forSyntax syntax: String?, suffix: String) -> String {
        switch syntax {
        case "1.3.6.1.4.1.1466.115.121.1.12": suffix  // DN
        case "1.3.6.1.4.1.1466.115.121.1.27": "0"  // Integer
        case "1.3.6.1.4.1.1466.115.121.1.24": "20000101000000Z"  // Generalized Time
        case "1.3.6.1.4.1.1466.115.121.1.7": "TRUE"  // Boolean
        default: "primer"  // Directory String, IA5 String…
        }
    }
}
