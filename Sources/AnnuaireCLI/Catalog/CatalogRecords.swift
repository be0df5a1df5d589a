import LDAPProtocol
import Messages

/// The operator's catalogue entries (partner types, partners, services,
/// profiles): a code, a label, and what they point at.
enum CatalogRecords {
    static let attributes = ["objectClass", "cn", "annLabel", "annPartnerType", "description"]

    /// Code, Libellé (and the extra fields given).
    static func row(_ entry: SearchResultEntry, extra: [Record.Field] = []) -> Record {
        Record(fields: [
            .init("code", "Code", entry.string("cn")),
            .init("label", "Libellé", entry.string("annLabel")),
        ] + extra, entry: entry)
    }

    /// Adds `objectClass`, `cn`, `annLabel` entries (R8: the operator's).
    static func add(_ session: DirectorySession, dn: String, objectClass: String, code: String, label: String?, more: [PartialAttribute] = []) throws {
        var attributes = [
            PartialAttribute(type: "objectClass", strings: [objectClass]),
            PartialAttribute(type: "cn", strings: [code]),
        ]
        if let label { attributes.append(PartialAttribute(type: "annLabel", strings: [label])) }
        try session.client.add(dn: dn, attributes: attributes + more)
    }

    static func rdn(_ code: String, _ parent: String) -> String {
        "cn=\(LDAPText.escapeRDNValue(code)),\(parent)"
    }
}
