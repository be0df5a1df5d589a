public import LDAPProtocol

/// Who may read and change what through the LDAP front-end, until the
/// delegation rules of R8 arrive (issue "Habilitations"):
/// - anonymous clients read only the root DSE and the subschema entry;
/// - an authenticated identity reads the directory and compares values;
/// - operator accounts (under `ou=operators`) change any entry under the suffix;
/// - any other identity changes only its own entry's contact attributes;
/// - nobody reads, compares or filters on a password attribute, and passwords
///   are changed only by the password operations (R6), not by Modify.
public struct AccessPolicy: Sendable {
    /// The identity a session is bound as (RFC 4513 §5).
    public enum Identity: Sendable, Hashable {
        case anonymous
        case user(dn: String)
    }

    /// Attributes that are never returned, compared nor usable in a filter.
    public static let protectedAttributes: Set<String> = ["userpassword", "2.5.4.35", "pwdhistory"]

    /// Attributes a person may change on their own entry.
    public static let selfServiceAttributes: Set<String> = ["telephonenumber", "mobile", "displayname", "preferredlanguage"]

    public let layout: DirectoryLayout
    private let suffix: DistinguishedName?
    private let operators: DistinguishedName?

    public init(layout: DirectoryLayout = DirectoryLayout()) {
        self.layout = layout
        suffix = try? DistinguishedName(layout.suffix)
        operators = try? DistinguishedName(layout.operators)
    }

    // MARK: Reading

    /// Checks a search of the directory's data (not the root DSE or the schema).
    public func authorizeDataSearch(_ request: SearchRequest, by identity: Identity) throws {
        _ = try authenticated(identity)
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

    public func authorizeCompare(dn: String, attribute: String, by identity: Identity) throws {
        _ = try authenticated(identity)
        if Self.isProtected(attribute) {
            throw LDAPOperationError(.insufficientAccessRights, "\(attribute) cannot be compared: passwords are checked only by a bind")
        }
    }

    // MARK: Changing

    public func authorizeAdd(dn: String, attributes: [PartialAttribute], by identity: Identity) throws {
        try requireOperator(identity, toChange: dn)
    }

    public func authorizeDelete(dn: String, by identity: Identity) throws {
        try requireOperator(identity, toChange: dn)
    }

    public func authorizeRename(dn: String, newSuperior: String?, by identity: Identity) throws {
        try requireOperator(identity, toChange: dn)
        if let newSuperior { try requireOperator(identity, toChange: newSuperior) }
    }

    /// Resetting someone else's password (RFC 3062 with a userIdentity): operators only until R8.
    public func authorizePasswordReset(dn: String, by identity: Identity) throws {
        let who = try authenticated(identity)
        guard isOperator(who) else {
            throw LDAPOperationError(
                .insufficientAccessRights,
                "only operator accounts may reset another person's password until delegated administration (R8) is in place"
            )
        }
        try requireInsideSuffix(try DistinguishedName(dn), dn)
    }

    public func authorizeModify(dn: String, changes: [ModifyRequest.Change], by identity: Identity) throws {
        let who = try authenticated(identity)
        let target = try DistinguishedName(dn)
        if isOperator(who) {
            try requireInsideSuffix(target, dn)
            return
        }
        guard who == target else {
            throw LDAPOperationError(
                .insufficientAccessRights,
                "\(dn) may be changed only by an operator account until delegated administration (R8) is in place"
            )
        }
        for change in changes {
            let type = Self.baseType(change.modification.type)
            if Self.isProtected(type) {
                throw LDAPOperationError(
                    .unwillingToPerform,
                    "passwords are not changed by Modify; use the Password Modify extended operation (RFC 3062)"
                )
            }
            guard Self.selfServiceAttributes.contains(type) else {
                throw LDAPOperationError(
                    .insufficientAccessRights,
                    "you may change only \(Self.selfServiceAttributes.sorted().joined(separator: ", ")) on your own entry, not \(change.modification.type)"
                )
            }
        }
    }

    // MARK: Helpers

    private func authenticated(_ identity: Identity) throws -> DistinguishedName {
        guard case .user(let dn) = identity else {
            throw LDAPOperationError(
                .insufficientAccessRights,
                "anonymous clients may read only the root DSE and the schema (cn=Subschema); bind first"
            )
        }
        return try DistinguishedName(dn)
    }

    private func isOperator(_ dn: DistinguishedName) -> Bool {
        guard let operators else { return false }
        return dn.isBelow(operators)
    }

    private func requireOperator(_ identity: Identity, toChange dn: String) throws {
        let who = try authenticated(identity)
        guard isOperator(who) else {
            throw LDAPOperationError(
                .insufficientAccessRights,
                "only operator accounts may add, delete or move entries until delegated administration (R8) is in place"
            )
        }
        try requireInsideSuffix(try DistinguishedName(dn), dn)
    }

    private func requireInsideSuffix(_ target: DistinguishedName, _ dn: String) throws {
        guard let suffix, target.isBelow(suffix) else {
            throw LDAPOperationError(.unwillingToPerform, "\(dn) is not below the naming context \(layout.suffix)")
        }
    }

    static func baseType(_ attribute: String) -> String {
        attribute.split(separator: ";", maxSplits: 1).first.map { $0.lowercased() } ?? ""
    }

    static func isProtected(_ attribute: String) -> Bool {
        protectedAttributes.contains(baseType(attribute))
    }
}
