public import LDAPProtocol

/// Who may read what through the LDAP front-end, until the full delegation
/// rules of R8 arrive (issue "Habilitations"): anonymous clients read only the
/// root DSE and the subschema entry; an authenticated identity reads the
/// directory; nobody reads or filters on a password attribute (passwords
/// never leave slapd except as a bind's yes or no).
public struct AccessPolicy: Sendable {
    /// The identity a session is bound as (RFC 4513 §5).
    public enum Identity: Sendable, Hashable {
        case anonymous
        case user(dn: String)
    }

    /// Attributes that are never returned nor usable in a filter.
    public static let protectedAttributes: Set<String> = ["userpassword", "2.5.4.35", "pwdhistory"]

    public init() {}

    /// Checks a search of the directory's data (not the root DSE or the schema).
    public func authorizeDataSearch(_ request: SearchRequest, by identity: Identity) throws {
        guard case .user = identity else {
            throw LDAPOperationError(
                .insufficientAccessRights,
                "anonymous clients may read only the root DSE and the schema (cn=Subschema); bind first"
            )
        }
        for attribute in request.filter.attributeDescriptions where Self.isProtected(attribute) {
            throw LDAPOperationError(
                .insufficientAccessRights,
                "filters may not test \(attribute): passwords are checked only by a bind"
            )
        }
    }

    /// Removes protected attributes from an entry about to be returned.
    public func redact(_ entry: inout SearchResultEntry) {
        entry.attributes.removeAll { Self.isProtected($0.type) }
    }

    static func isProtected(_ attribute: String) -> Bool {
        let type = attribute.split(separator: ";", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        return protectedAttributes.contains(type)
    }
}
