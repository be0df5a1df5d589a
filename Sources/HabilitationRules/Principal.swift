public import LDAPProtocol

/// Who a bound identity is for the delegation rules (R8), resolved from its
/// entry once per bind (when the session's first operation needs it).
public struct Principal: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// The operator's staff: manages partners, conventions, services, profiles, everything (R8).
        case `operator`
        /// An application's account: read-only, scoped to the users habilitated for its services.
        case serviceAccount(services: Set<DistinguishedName>)
        /// A partner administrator: acts only inside the conventions it administers (R8).
        case partnerAdministrator(conventions: Set<DistinguishedName>)
        /// A group's responsible (R2's "responsable", R8): acts only inside the groups it manages
        /// (`annManages`: the open groups it is the responsible of and their subgroups).
        case groupResponsible(groups: Set<DistinguishedName>)
        /// A person: reads itself, changes its own password (R8).
        case person
    }

    public let dn: String
    public let name: DistinguishedName
    public let role: Role
    /// The groups this principal manages as their responsible (R8), whatever its role: a partner
    /// administrator may also be the responsible of groups in a convention it does not administer,
    /// and keeps both powers. Always the groups of `.groupResponsible`; empty for the operator and
    /// application accounts (their role already says everything).
    public let managedGroups: Set<DistinguishedName>

    public init(dn: String, role: Role, managedGroups: Set<DistinguishedName> = []) throws {
        self.dn = dn
        name = try DistinguishedName(dn)
        self.role = role
        switch role {
        case .groupResponsible(let groups): self.managedGroups = groups.union(managedGroups)
        case .operator, .serviceAccount: self.managedGroups = []
        case .partnerAdministrator, .person: self.managedGroups = managedGroups
        }
    }

    /// Resolves the role from the bound entry.
    public static func resolve(dn: String, entry: EntrySnapshot?, layout: DirectoryLayout) throws -> Principal {
        let name = try DistinguishedName(dn)
        let kind = try DomainEntryKind(name, layout: layout)
        if case .operatorAccount = kind {
            if let entry, entry.objectClasses.contains(ObjectClassName.serviceAccount.lowercased()) {
                return try Principal(dn: dn, role: .serviceAccount(services: Set(entry.values(AttributeName.serviceScope).compactMap { try? DistinguishedName($0) })))
            }
            return try Principal(dn: dn, role: .operator)
        }
        // Rights are carried by people only: any other entry that binds (a group or a membership
        // someone gave a password and annAdministers, say) is a person.
        guard case .user = kind else {
            return try Principal(dn: dn, role: .person)
        }
        let administered = Set((entry?.values(AttributeName.administers) ?? []).compactMap { try? DistinguishedName($0) })
        let managed = Set((entry?.values(AttributeName.manages) ?? []).compactMap { try? DistinguishedName($0) })
        if !administered.isEmpty {
            return try Principal(dn: dn, role: .partnerAdministrator(conventions: administered), managedGroups: managed)
        }
        if !managed.isEmpty {
            return try Principal(dn: dn, role: .groupResponsible(groups: managed))
        }
        return try Principal(dn: dn, role: .person)
    }

    public var isOperator: Bool { if case .operator = role { true } else { false } }

    /// The conventions this principal administers (empty for others).
    public var administeredConventions: Set<DistinguishedName> {
        if case .partnerAdministrator(let conventions) = role { conventions } else { [] }
    }
}
