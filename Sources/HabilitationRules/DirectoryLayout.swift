import LDAPProtocol

/// Where each kind of entry lives under the suffix (README "Directory tree";
/// docs/domain.md's glossary). Users are flat under `ou=people` so that every
/// application finds them with one `(uid=…)` search; groups and memberships
/// live under their convention, which is what R2's "code unique in the
/// convention" and R8's "only inside its own partner's conventions" follow.
public struct DirectoryLayout: Sendable, Hashable {
    public static let defaultSuffix = "dc=annuaire,dc=local"

    public var suffix: String

    public init(suffix: String = DirectoryLayout.defaultSuffix) {
        self.suffix = suffix
    }

    /// Partner users and administrators: `uid=<identifier>,ou=people,…` (R4).
    public var people: String { "ou=people,\(suffix)" }
    /// The operator's staff and application service accounts.
    public var operators: String { "ou=operators,\(suffix)" }
    /// The service catalogue; profiles lie under their service (R3).
    public var services: String { "ou=services,\(suffix)" }
    public var partnerTypes: String { "ou=partnerTypes,\(suffix)" }
    /// Partners, and below them conventions, groups and memberships (R2, R5).
    public var partners: String { "ou=partners,\(suffix)" }
    /// The record of changes (R11): `annEventId=<id>,ou=history,…`.
    public var history: String { "ou=history,\(suffix)" }
    /// The identifier counter (R4: generated, never reused).
    public var identifierCounter: String { "cn=identifiers,ou=counters,\(suffix)" }
    /// slapd's default password policy.
    public var defaultPasswordPolicy: String { "cn=default,ou=policies,\(suffix)" }

    /// Failed binds slapd answers without hashing are checked against this entry too (`BindDecoy`).
    public var bindDecoy: String { "cn=bind-decoy,ou=policies,\(suffix)" }
    public var bindDecoyPolicy: String { "cn=bind-decoy-policy,ou=policies,\(suffix)" }

    /// R10: the usage rules and the legal warning, readable by anyone.
    public var usageRules: String { "cn=usage-rules,ou=policies,\(suffix)" }
    public var legalWarning: String { "cn=legal-warning,ou=policies,\(suffix)" }
    /// The operator's help desk (`HelpDesk`), readable by anyone like the usage rules (R10).
    public var helpDesk: String { "cn=help-desk,ou=policies,\(suffix)" }

    public func user(_ identifier: String) -> String { "uid=\(DistinguishedName.escape(identifier)),\(people)" }
    public func operatorAccount(_ name: String) -> String { "uid=\(DistinguishedName.escape(name)),\(operators)" }
}
