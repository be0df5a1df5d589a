public import LDAPProtocol

/// Who a bound identity is for the delegation rules (R8), resolved from its
/// entry once per bind.
public struct Principal: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// The operator's staff: manages partners, conventions, services, profiles, everything (R8).
        case `operator`
        /// An application's account: read-only, scoped to the users habilitated for its services.
        case serviceAccount(services: Set<DistinguishedName>)
        /// A partner administrator: acts only inside the conventions it administers (R8).
        case partnerAdministrator(conventions: Set<DistinguishedName>)
        /// A person: reads itself, changes its own password (R8).
        case person
    }

    public let dn: String
    public let name: DistinguishedName
    public let role: Role

    public init(dn: String, role: Role) throws {
        self.dn = dn
        name = try DistinguishedName(dn)
        self.role = role
    }

    /// Resolves the role from the bound entry.
    public static func resolve(dn: String, entry: EntrySnapshot?, layout: DirectoryLayout) throws -> Principal {
        let name = try DistinguishedName(dn)
        if case .operatorAccount = try DomainEntryKind(name, layout: layout) {
            if let entry, entry.objectClasses.contains("annserviceaccount") {
                return try Principal(dn: dn, role: .serviceAccount(services: Set(entry.values("annServiceScope").compactMap { try? DistinguishedName($0) })))
            }
            return try Principal(dn: dn, role: .operator)
        }
        let administered = Set((entry?.values("annAdministers") ?? []).compactMap { try? DistinguishedName($0) })
        if !administered.isEmpty {
            return try Principal(dn: dn, role: .partnerAdministrator(conventions: administered))
        }
        return try Principal(dn: dn, role: .person)
    }

    public var isOperator: Bool { if case .operator = role { true } else { false } }

    /// The conventions this principal administers (empty for others).
    public var administeredConventions: Set<DistinguishedName> {
        if case .partnerAdministrator(let conventions) = role { conventions } else { [] }
    }
}
