public import LDAPProtocol

/// R8, delegation, for changes: the operator manages everything; a partner
/// administrator acts only inside the conventions it administers, grants only
/// their profiles (R3, checked with the group) and cannot widen its own
/// rights; a group's responsible acts only inside the groups it manages
/// (`ResponsibleRules`, judged on the convention as it is); a person changes
/// only its own contact attributes; an application account changes nothing.
public enum DelegationPolicy {
    /// How a change is allowed: outright (the operator; an administrator of the
    /// convention; a person on its own contact details), or only if the
    /// principal, as a group's responsible, manages what it touches, which the
    /// caller checks on the convention as it is before the change (`ResponsibleRules`).
    public enum WriteAuthority: Sendable, Equatable {
        case granted
        case asResponsible
    }

    /// Attributes a person may change on their own entry (`WritableAttributes.selfService`).
    public static var selfServiceAttributes: Set<String> { WritableAttributes.selfService }

    /// The object classes a group or a membership has when someone other than the operator writes it.
    public static let ownClasses: Set<String> = ["top", ObjectClassName.group.lowercased(), ObjectClassName.membership.lowercased()]

    /// Groups and memberships carry no rights nor passwords but what their own class gives: only the
    /// operator adds an auxiliary class (annUser, simpleSecurityObject…), annAdministers or a
    /// password to one (the bind resolves rights from people only, `Principal.resolve`).
    public static func refusePrivileges(_ kind: DomainEntryKind, types: Set<String>, objectClasses: Set<String>, principal: Principal) throws {
        guard !principal.isOperator else { return }
        switch kind {
        case .group, .membership: break
        default: return
        }
        if let extra = objectClasses.subtracting(Self.ownClasses).sorted().first {
            throw RuleViolation.delegation(.r8OperatorGivesClass, ["class": extra])
        }
        let allowed = kind.isMembership ? WritableAttributes.membership : WritableAttributes.group
        if let type = types.subtracting(["objectclass"]).sorted().first(where: { !allowed.contains($0) }) {
            throw RuleViolation.delegation(.r8OperatorSetsOnGroups, ["type": type])
        }
    }

    public static func authorizeWrite(_ kind: DomainEntryKind, _ name: DistinguishedName, principal: Principal, creating: Bool) throws -> WriteAuthority {
        switch principal.role {
        case .operator:
            return .granted
        case .serviceAccount:
            throw RuleViolation.delegation(.r8ApplicationReadOnly)
        case .person:
            throw RuleViolation.delegation(.r8PersonOwnDetails, ["attributes": Self.selfServiceAttributes.sorted().joined(separator: ", ")])
        case .partnerAdministrator(let conventions):
            switch kind {
            case .group(let convention), .membership(_, let convention):
                if conventions.contains(convention) { return .granted }
                guard !principal.managedGroups.isEmpty else {
                    throw RuleViolation.delegation(.r8NotYourConvention, ["convention": "\(convention)"])
                }
                return try responsibleAuthority(in: convention, principal: principal)
            case .user:
                throw RuleViolation.delegation(creating ? .r8IdentifiersGenerated : .r8UsersClosedNotDeleted)
            default:
                throw RuleViolation.delegation(.r8CatalogueIsOperators)
            }
        case .groupResponsible:
            switch kind {
            case .group(let convention), .membership(_, let convention):
                return try responsibleAuthority(in: convention, principal: principal)
            case .user:
                throw RuleViolation.delegation(creating ? .r8IdentifiersGeneratedInManagedGroup : .r8UsersClosedSetCloseDate)
            default:
                throw RuleViolation.delegation(.r8ResponsibleInsideGroups)
            }
        }
    }

    /// A group's responsible acts only in a convention where it manages a group (as resolved at
    /// bind: nothing of another convention is read, not even whether it exists).
    private static func responsibleAuthority(in convention: DistinguishedName, principal: Principal) throws -> WriteAuthority {
        guard principal.managedGroups.contains(where: { $0.isBelow(convention) }) else {
            throw RuleViolation.delegation(.r8NoGroupManagedIn, ["convention": "\(convention)"])
        }
        return .asResponsible
    }

    public static func authorizeModify(
        _ kind: DomainEntryKind, _ name: DistinguishedName, before: EntrySnapshot, after: EntrySnapshot,
        changes: [ModifyRequest.Change], principal: Principal
    ) throws -> WriteAuthority {
        let types = Self.changedTypes(changes)
        if types.contains("userpassword") {
            throw LDAPOperationError(.unwillingToPerform, RuleViolation.text(.passwordNotByModify))
        }
        switch principal.role {
        case .operator:
            return .granted
        case .serviceAccount:
            throw RuleViolation.delegation(.r8ApplicationReadOnly)
        case .person:
            try authorizeSelfService(name, types: types, principal: principal)
            return .granted
        case .partnerAdministrator(let conventions):
            switch kind {
            case .group, .membership:
                try refuseGroupPrivilegeChange(types, kind: kind)
                return try authorizeWrite(kind, name, principal: principal, creating: false)
            case .user:
                // Only users of its conventions (or, as a group's responsible, of the groups it
                // manages), and never what carries rights.
                let userConventions = Set(before.values(AttributeName.convention).compactMap { try? DistinguishedName($0) })
                if userConventions.isDisjoint(with: conventions) {
                    guard !principal.managedGroups.isEmpty else {
                        throw RuleViolation.delegation(.r8NotUserOfYourConvention, ["dn": "\(name)"])
                    }
                    return try responsibleUserAuthority(types: types)
                }
                if let type = types.sorted().first(where: { !WritableAttributes.person.contains($0) }) {
                    throw RuleViolation.delegation(.r8OnlyOperatorChanges, ["type": type])
                }
                // Its own validity decides how long its rights last: not its to extend.
                if name == principal.name, let type = types.sorted().first(where: { WritableAttributes.validity.contains($0) }) {
                    throw RuleViolation.delegation(.r8OwnValidity, ["type": type])
                }
                return .granted
            default:
                throw RuleViolation.delegation(.r8CatalogueIsOperators)
            }
        case .groupResponsible:
            switch kind {
            case .group, .membership:
                try refuseGroupPrivilegeChange(types, kind: kind)
                return try authorizeWrite(kind, name, principal: principal, creating: false)
            case .user:
                if name == principal.name {
                    // Its own account is not its to manage: it changes it as a person does.
                    try authorizeSelfService(name, types: types, principal: principal)
                    return .granted
                }
                return try responsibleUserAuthority(types: types)
            default:
                throw RuleViolation.delegation(.r8ResponsibleInsideGroups)
            }
        }
    }

    /// A group's or a membership's class, and whatever is not on its allow-list, are the operator's to change.
    private static func refuseGroupPrivilegeChange(_ types: Set<String>, kind: DomainEntryKind) throws {
        let allowed = (kind.isMembership ? WritableAttributes.membership : WritableAttributes.group).subtracting(["objectclass"])
        if let type = types.sorted().first(where: { !allowed.contains($0) }) {
            throw RuleViolation.delegation(.r8OnlyOperatorChangesOnGroups, ["type": type])
        }
    }

    /// The attribute types a Modify touches, lower-cased, without options.
    public static func changedTypes(_ changes: [ModifyRequest.Change]) -> Set<String> {
        Set(changes.map { $0.modification.type.split(separator: ";").first.map { $0.lowercased() } ?? "" })
    }

    /// A person changes only its own contact attributes.
    private static func authorizeSelfService(_ name: DistinguishedName, types: Set<String>, principal: Principal) throws {
        guard name == principal.name else {
            throw RuleViolation.delegation(.r8NotYourEntry, ["dn": "\(name)"])
        }
        if let type = types.sorted().first(where: { !WritableAttributes.selfService.contains($0) }) {
            throw RuleViolation.delegation(.r8SelfServiceOnly, ["attributes": Self.selfServiceAttributes.sorted().joined(separator: ", "), "type": type])
        }
    }

    /// A group's responsible never changes what carries rights; whether it manages the person
    /// is checked against the directory as it is (`authorizeUserChangeAsResponsible`).
    private static func responsibleUserAuthority(types: Set<String>) throws -> WriteAuthority {
        if let type = types.sorted().first(where: { !WritableAttributes.person.contains($0) }) {
            throw RuleViolation.delegation(.r8OnlyOperatorChanges, ["type": type])
        }
        return .asResponsible
    }
}
