import DirectoryBackend
import Foundation
import LDAPProtocol
import Messages

/// R8 for a group's responsible (R2's "responsable administrateur"), judged on
/// the convention as it is before the change: it manages the open groups it is
/// the responsible of and their subgroups (`ConventionWorld.managedGroups`, the
/// same computation that materialises `annManages`). Inside them it attaches,
/// changes, closes and removes memberships; creates subgroups below a group it
/// manages, with roles the parent holds (nobody grants a right they could not
/// grant themselves); changes the label, description and dates of the groups it
/// manages. On a group it is directly the responsible of it changes neither the
/// roles, the responsible nor the parent, and it may only shorten its validity
/// (open it later, close it earlier): widening what it was given is the partner
/// administrator's decision. It deletes no group (groups are closed).
struct ResponsibleRules {
    let responsible: DistinguishedName
    let world: ConventionWorld
    /// The groups `responsible` manages in this convention, now.
    let managed: Set<DistinguishedName>

    init(principal: Principal, world: ConventionWorld, managed: Set<DistinguishedName>) {
        responsible = principal.name
        self.world = world
        self.managed = managed
    }

    /// The rules for `principal` in `world` at `date` (what it manages is worked out off the cooperative threads).
    /// A scoped world (`ConventionWorld.load(_:users:…)`) may not hold the responsible itself: it is read
    /// for the judgement (its validity and conventions decide what it manages), not put in the world.
    static func judging(_ principal: Principal, in world: ConventionWorld, at date: Date, store: any DirectoryStore) async throws -> ResponsibleRules {
        var judged = world
        if judged.users[principal.name] == nil, let entry = try await store.read(principal.dn, attributes: ConventionWorld.userAttributes) {
            judged.users[principal.name] = EntrySnapshot(entry)
        }
        return ResponsibleRules(principal: principal, world: world, managed: try await judged.groupsOffloaded(managedBy: principal.name, at: date))
    }

    /// Attributes of a group it manages that a responsible may change.
    static let groupDetails: Set<String> = [AttributeName.label.lowercased(), "description", AttributeName.openDate.lowercased(), AttributeName.closeDate.lowercased()]
    /// And, on a subgroup it manages through a parent (not one it is directly the responsible of), these too.
    static let subgroupStructure: Set<String> = [AttributeName.role.lowercased(), AttributeName.responsible.lowercased(), AttributeName.parentGroup.lowercased()]

    /// Memberships: only in a group it manages (attaching itself included).
    func authorizeMembership(_ name: DistinguishedName) throws {
        try requireManaged(name.ancestor(1), doing: .responsibleDoingAttach)
    }

    /// The create-user workflow: the new person goes only into a group it manages.
    func authorizeNewUser(in group: DistinguishedName) throws {
        try requireManaged(group, doing: .responsibleDoingCreateUsers)
    }

    /// A new group: a subgroup of a group it manages, with roles its parent holds.
    func authorizeNewGroup(_ group: EntrySnapshot) throws {
        guard let parentDN = group.value(AttributeName.parentGroup), let parent = try? DistinguishedName(parentDN) else {
            throw RuleViolation.delegation(.r8ResponsibleSubgroupsOnly)
        }
        try requireManaged(parent, doing: .responsibleDoingCreateSubgroups)
        try requireRolesWithin(group, parent: parent)
    }

    /// A change to a group: only a group it manages, and on a group it is directly the responsible of, only its details.
    func authorizeGroupChange(_ name: DistinguishedName, before: EntrySnapshot, after: EntrySnapshot, types: Set<String>) throws {
        try requireManaged(name, doing: .responsibleDoingChangeGroups)
        if isDirectlyResponsible(before) {
            if let type = types.sorted().first(where: { !Self.groupDetails.contains($0) }) {
                throw RuleViolation.delegation(.r8ResponsibleOwnGroupDetails, ["group": before.dn, "type": type])
            }
            let was = Validity(before)
            let will = Validity(after)
            if (will.open ?? .distantPast) < (was.open ?? .distantPast) || (will.close ?? .distantFuture) > (was.close ?? .distantFuture) {
                throw RuleViolation.delegation(.r8ResponsibleNotLonger, ["group": before.dn])
            }
            return
        }
        if let type = types.sorted().first(where: { !Self.groupDetails.contains($0) && !Self.subgroupStructure.contains($0) }) {
            throw RuleViolation.delegation(.r8ResponsibleDoesNotChange, ["type": type])
        }
        guard !types.isDisjoint(with: [AttributeName.role.lowercased(), AttributeName.parentGroup.lowercased()]) else { return }
        guard let parentDN = after.value(AttributeName.parentGroup), let parent = try? DistinguishedName(parentDN) else {
            throw RuleViolation.delegation(.r8SubgroupStaysBelow)
        }
        try requireManaged(parent, doing: .responsibleDoingMoveSubgroups)
        try requireRolesWithin(after, parent: parent)
    }

    /// Groups are closed (annCloseDate), not deleted, by their responsible.
    func refuseGroupDeletion(_ name: DistinguishedName) throws {
        try requireManaged(name, doing: .responsibleDoingChangeOwnGroups)
        throw RuleViolation.delegation(.r8ResponsibleClosesGroups)
    }

    // MARK: Helpers

    private func isDirectlyResponsible(_ group: EntrySnapshot) -> Bool {
        group.value(AttributeName.responsible).flatMap { try? DistinguishedName($0) } == responsible
    }

    private func requireManaged(_ group: DistinguishedName, doing what: Message) throws {
        guard managed.contains(group) else {
            throw RuleViolation.delegation(.r8NotAGroupYouManage, ["group": "\(group)", "what": RuleViolation.text(what)])
        }
    }

    /// Nobody grants a right they could not grant themselves: a subgroup's roles are among its parent's.
    private func requireRolesWithin(_ group: EntrySnapshot, parent: DistinguishedName) throws {
        let parentRoles = Set((world.groups[parent]?.values(AttributeName.role) ?? []).compactMap { try? DistinguishedName($0) })
        for role in group.values(AttributeName.role) {
            guard let profile = try? DistinguishedName(role), parentRoles.contains(profile) else {
                throw RuleViolation.delegation(.r8RoleNotOfParent, ["role": role, "parent": "\(parent)"])
            }
        }
    }
}

extension HabilitationService {
    /// R8: a group's responsible changes or closes a person only when every membership of that
    /// person (in any convention, whatever its dates) is in a group it manages, and the person holds
    /// no power the responsible does not hold (administers no convention, manages only groups the
    /// responsible manages): otherwise a changed e-mail address and "forgot password" would hand
    /// it that person's rights.
    func authorizeUserChangeAsResponsible(_ dn: String, before: EntrySnapshot, principal: Principal) async throws {
        let filter = try ConventionWorld.membershipsFilter(of: dn)
        let memberships = try await store.searchAll(SearchQuery(base: layout.partners, scope: .wholeSubtree, filter: filter, attributes: ["1.1"]))
        guard !memberships.isEmpty else {
            throw RuleViolation.delegation(.r8PersonInNoManagedGroup, ["dn": dn])
        }
        if before.has(AttributeName.administers) {
            throw RuleViolation.delegation(.r8PersonAdministers, ["dn": dn])
        }
        var groups: [DistinguishedName] = []
        var conventions: [DistinguishedName: String] = [:]
        for membership in memberships {
            let name = try DistinguishedName(membership.objectName)
            groups.append(name.ancestor(1))
            conventions[name.ancestor(2)] = name.ancestor(2).original(from: membership.objectName)
        }
        let otherManaged = before.values(AttributeName.manages).compactMap { try? DistinguishedName($0) }
        for group in otherManaged where conventions[group.ancestor(1)] == nil {
            conventions[group.ancestor(1)] = group.ancestor(1).description
        }
        var managed: Set<DistinguishedName> = []
        for convention in conventions.values.sorted() {
            let world = try await ConventionWorld.load(convention, store: store, layout: layout)
            managed.formUnion(try await world.groupsOffloaded(managedBy: principal.name, at: clock.now))
        }
        guard groups.allSatisfy(managed.contains) else {
            throw RuleViolation.delegation(.r8PersonInOtherGroups, ["dn": dn])
        }
        guard otherManaged.allSatisfy(managed.contains) else {
            throw RuleViolation.delegation(.r8PersonResponsibleElsewhere, ["dn": dn])
        }
    }
}
