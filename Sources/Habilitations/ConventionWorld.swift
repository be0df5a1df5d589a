public import DirectoryBackend
public import Foundation
public import LDAPProtocol

/// One convention and everything its effective state depends on: its groups,
/// their memberships and the users involved, read from slapd. A change is
/// applied to it in memory, then `derivedChanges(at:)` says what the
/// materialised attributes must become (R5, R7, R8): a group's `member`, a
/// user's `memberOf` and `annManages`, every entry's `annStatus`, a group's
/// `annLevel`, and the ppolicy validity (`pwdStartTime`/`pwdEndTime`) of users.
///
/// A write that changes only some users' memberships or the users themselves
/// loads a *scoped* world (`load(_:users:…)`): every group (without its
/// `member` list), but only those users and all their memberships here. Its
/// derivation then recomputes only what such a write can change: those
/// users' own values, and their presence in each group's `member`; the
/// cost no longer grows with the convention.
public struct ConventionWorld: Sendable {
    public let name: DistinguishedName
    public var convention: EntrySnapshot
    public var groups: [DistinguishedName: EntrySnapshot] = [:]
    public var memberships: [DistinguishedName: EntrySnapshot] = [:]
    public var users: [DistinguishedName: EntrySnapshot] = [:]
    /// The roles of the other conventions' groups its users are effective members of (their
    /// `memberOf` outside this convention): a user's `annHabilitation` is the union of all (R1).
    public var foreignGroupRoles: [DistinguishedName: [String]] = [:]
    /// The users whose derived values the write may change (nil: the whole convention is loaded).
    public var scope: Set<DistinguishedName>?

    /// What is read of a user: its attributes, its ppolicy validity, and the entryCSN the concurrency guard asserts.
    static let userAttributes = ["*", "pwdStartTime", "pwdEndTime", "entryCSN"]

    /// A convention with nothing in it yet (`load` fills it from slapd).
    public init(name: DistinguishedName, convention: EntrySnapshot) {
        self.name = name
        self.convention = convention
    }

    /// The convention entry, read first: its entryCSN vouches for everything read after it (ConcurrencyGuard).
    private static func readConvention(_ conventionDN: String, store: any DirectoryStore) async throws -> SearchResultEntry {
        guard let entry = try await store.read(conventionDN, attributes: ["*", "entryCSN"]) else {
            throw LDAPOperationError(.noSuchObject, RuleViolation.text(.notFoundConvention, ["convention": conventionDN]))
        }
        return entry
    }

    /// A world for a person of no convention: only its own status and validity are derived (R7).
    static func person(_ name: DistinguishedName, _ entry: EntrySnapshot?) -> ConventionWorld {
        var world = ConventionWorld(name: name, convention: EntrySnapshot(dn: "", attributes: []))
        world.users[name] = entry
        return world
    }

    /// `(&(objectClass=annMembership)(annMember=<user>))`: a person's memberships.
    static func membershipsFilter(of user: String) throws -> String {
        try SearchFilter.and([.equality("objectClass", Array(ObjectClassName.membership.utf8)), .equality(AttributeName.member, Array(user.utf8))]).rfc4515String()
    }

    public static func load(_ conventionDN: String, store: any DirectoryStore, layout: DirectoryLayout) async throws -> ConventionWorld {
        let entry = try await readConvention(conventionDN, store: store)
        let below = try await store.searchAll(SearchQuery(
            base: conventionDN, scope: .wholeSubtree,
            filter: .or([.objectClass(ObjectClassName.group), .objectClass(ObjectClassName.membership)]), attributes: ["*"]))
        let people = try await store.searchAll(SearchQuery(
            base: layout.people, scope: .singleLevel, filter: .equals(AttributeName.convention, conventionDN), attributes: userAttributes))
        // Parsing thousands of entries is CPU work: off the event loops and the cooperative threads.
        var world = try await BlockingWork.run {
            var world = ConventionWorld(name: try DistinguishedName(conventionDN), convention: EntrySnapshot(entry))
            for entry in below {
                let snapshot = EntrySnapshot(entry)
                let dn = try DistinguishedName(entry.objectName)
                if snapshot.objectClasses.contains(ObjectClassName.group.lowercased()) { world.groups[dn] = snapshot } else { world.memberships[dn] = snapshot }
            }
            for entry in people {
                world.users[try DistinguishedName(entry.objectName)] = EntrySnapshot(entry)
            }
            return world
        }
        // Members referenced by memberships but not (or no longer) of the convention.
        for membership in world.memberships.values {
            guard let member = membership.value(AttributeName.member), let name = try? DistinguishedName(member), world.users[name] == nil else { continue }
            if let entry = try await store.read(member, attributes: userAttributes) { world.users[name] = EntrySnapshot(entry) }
        }
        try await world.readForeignGroupRoles(store)
        return world
    }

    /// What a group is read with in a scoped world: everything but its `member` list.
    static let groupAttributes = [
        "objectClass", "cn", AttributeName.label, AttributeName.openDate, AttributeName.closeDate, AttributeName.status, AttributeName.role, AttributeName.responsible, AttributeName.parentGroup, AttributeName.level,
    ]

    /// A scoped world for a write that changes only `users` (their memberships here, or their entries):
    /// the convention, all its groups without `member`, those users (the ones that exist) and all their
    /// memberships in this convention.
    public static func load(
        _ conventionDN: String, users: [String], store: any DirectoryStore, layout: DirectoryLayout
    ) async throws -> ConventionWorld {
        let entry = try await readConvention(conventionDN, store: store)
        var world = ConventionWorld(name: try DistinguishedName(conventionDN), convention: EntrySnapshot(entry))
        world.scope = []
        for group in try await store.searchAll(SearchQuery(
            base: conventionDN, scope: .wholeSubtree, filter: .objectClass(ObjectClassName.group), attributes: groupAttributes)) {
            world.groups[try DistinguishedName(group.objectName)] = EntrySnapshot(group)
        }
        for user in users {
            let name = try DistinguishedName(user)
            guard world.scope?.insert(name).inserted == true else { continue }
            if let entry = try await store.read(user, attributes: userAttributes) { world.users[name] = EntrySnapshot(entry) }
            let filter = try membershipsFilter(of: user)
            for membership in try await store.searchAll(SearchQuery(base: conventionDN, scope: .wholeSubtree, filter: filter, attributes: ["*"])) {
                world.memberships[try DistinguishedName(membership.objectName)] = EntrySnapshot(membership)
            }
        }
        try await world.readForeignGroupRoles(store)
        return world
    }

    private mutating func readForeignGroupRoles(_ store: any DirectoryStore) async throws {
        for group in foreignGroups() {
            let roles = try await store.read(group, attributes: [AttributeName.role]).map { EntrySnapshot($0).values(AttributeName.role) } ?? []
            if let name = try? DistinguishedName(group) { foreignGroupRoles[name] = roles }
        }
    }

    /// The groups outside this convention its users are members of.
    func foreignGroups() -> [String] {
        var seen: Set<DistinguishedName> = []
        var result: [String] = []
        for user in users.values {
            for group in user.values("memberOf") {
                guard let groupName = try? DistinguishedName(group), !groupName.isBelow(name), seen.insert(groupName).inserted else { continue }
                result.append(group)
            }
        }
        return result
    }

    /// `derivedChanges(at:)` computed on a thread of `BlockingWork`: for a large
    /// convention it is milliseconds to seconds of CPU.
    public func derivedChangesOffloaded(at date: Date) async throws -> [(dn: String, changes: [ModifyRequest.Change])] {
        let world = self
        return try await BlockingWork.run { world.derivedChanges(at: date) }
    }

    /// Puts an entry (as it will be) into the world, or removes it (nil).
    public mutating func update(_ dn: DistinguishedName, _ entry: EntrySnapshot?, kind: DomainEntryKind) {
        switch kind {
        case .group: groups[dn] = entry
        case .membership: memberships[dn] = entry
        case .user:
            users[dn] = entry
            scope?.insert(dn)  // a user the write changes or creates is in a scoped world's scope
        case .convention: if let entry { convention = entry }
        default: break
        }
    }

    /// Whether a group is in force at `date`: itself, every parent, and the convention (R5).
    func groupIsOpen(_ name: DistinguishedName, at date: Date) -> Bool {
        guard Validity(convention).isOpen(at: date) else { return false }
        var current: DistinguishedName? = name
        var seen: Set<DistinguishedName> = []
        while let group = current, let entry = groups[group] {
            guard seen.insert(group).inserted, Validity(entry).isOpen(at: date) else { return false }
            current = entry.value(AttributeName.parentGroup).flatMap { try? DistinguishedName($0) }
        }
        return current == nil
    }

    /// R5: a membership counts only between its dates, while its user, its group, the group's parents and the convention are open.
    func isEffective(_ membership: EntrySnapshot, group: DistinguishedName, at date: Date) -> Bool {
        guard Validity(membership).isOpen(at: date),
              let member = membership.value(AttributeName.member).flatMap({ try? DistinguishedName($0) }),
              let user = users[member], Validity(user).isOpen(at: date)
        else { return false }
        return groupIsOpen(group, at: date)
    }

    /// A group's level: 1 for a top group, the parent's + 1 below (R2).
    func level(of name: DistinguishedName) -> Int {
        var level = 1
        var current = groups[name]?.value(AttributeName.parentGroup).flatMap { try? DistinguishedName($0) }
        var seen: Set<DistinguishedName> = [name]
        while let parent = current, seen.insert(parent).inserted, let entry = groups[parent] {
            level += 1
            current = entry.value(AttributeName.parentGroup).flatMap { try? DistinguishedName($0) }
        }
        return level
    }

    /// R8, a group's responsible: the groups each user manages at `date`: the open groups (R5:
    /// themselves, their parents and the convention) it is the responsible (`annResponsible`) of,
    /// while it is an open user of this convention, and all their subgroups, whatever their status
    /// (a closed subgroup can be reopened by the one who manages it).
    public func managedGroups(at date: Date) -> [DistinguishedName: Set<DistinguishedName>] {
        var children: [DistinguishedName: [DistinguishedName]] = [:]
        for (name, group) in groups {
            if let parent = group.value(AttributeName.parentGroup).flatMap({ try? DistinguishedName($0) }) { children[parent, default: []].append(name) }
        }
        var managed: [DistinguishedName: Set<DistinguishedName>] = [:]
        for (name, group) in groups {
            guard let responsible = group.value(AttributeName.responsible).flatMap({ try? DistinguishedName($0) }),
                  let user = users[responsible], Validity(user).isOpen(at: date),
                  user.values(AttributeName.convention).contains(where: { (try? DistinguishedName($0)) == self.name }),
                  groupIsOpen(name, at: date)
            else { continue }
            var pending = [name]
            while let next = pending.popLast() {
                if managed[responsible, default: []].insert(next).inserted { pending += children[next] ?? [] }
            }
        }
        return managed
    }

    /// The groups `user` manages at `date` in this convention (R8; see `managedGroups(at:)`).
    public func groups(managedBy user: DistinguishedName, at date: Date) -> Set<DistinguishedName> {
        managedGroups(at: date)[user] ?? []
    }

    /// `groups(managedBy:at:)` on a thread of `BlockingWork`: it walks every group of the convention.
    public func groupsOffloaded(managedBy user: DistinguishedName, at date: Date) async throws -> Set<DistinguishedName> {
        let world = self
        return try await BlockingWork.run { world.groups(managedBy: user, at: date) }
    }

    /// The modifications that bring the materialised attributes in line with the rules at `date`.
    public func derivedChanges(at date: Date) -> [(dn: String, changes: [ModifyRequest.Change])] {
        var result: [(String, [ModifyRequest.Change])] = []
        var effectiveMembers: [DistinguishedName: [String]] = [:]
        var effectiveGroups: [DistinguishedName: [String]] = [:]
        var effectiveProfiles: [DistinguishedName: [String]] = [:]
        for (name, membership) in memberships {
            let group = name.ancestor(1)
            guard let groupEntry = groups[group], isEffective(membership, group: group, at: date),
                  let memberDN = membership.value(AttributeName.member), let member = try? DistinguishedName(memberDN),
                  let user = users[member]
            else { continue }
            effectiveMembers[group, default: []].append(user.dn)
            effectiveGroups[member, default: []].append(groupEntry.dn)
            effectiveProfiles[member, default: []] += groupEntry.values(AttributeName.role)
        }
        func replaceIfDifferent(_ entry: EntrySnapshot, _ type: String, _ desired: [String], caseInsensitive: Bool = true,
                                into changes: inout [ModifyRequest.Change]) {
            let normalize: (String) -> String = { value in
                caseInsensitive ? ((try? DistinguishedName(value).description) ?? value.lowercased()) : value
            }
            guard Set(entry.values(type).map(normalize)) != Set(desired.map(normalize)) else { return }
            changes.append(.init(operation: .replace, modification: PartialAttribute(type: type, strings: desired.sorted())))
        }

        if !convention.dn.isEmpty {
            var conventionChanges: [ModifyRequest.Change] = []
            replaceIfDifferent(convention, AttributeName.status, [Validity(convention).status(at: date).rawValue], into: &conventionChanges)
            if !conventionChanges.isEmpty { result.append((convention.dn, conventionChanges)) }
        }

        for (name, group) in groups {
            var changes: [ModifyRequest.Change] = []
            if let scope {
                // Only the scoped users' presence can change; their memberOf says where they are now.
                for member in scope.sorted(by: { $0.description < $1.description }) {
                    guard let user = users[member] else { continue }
                    let isMember = user.values("memberOf").contains { (try? DistinguishedName($0)) == name }
                    let shouldBe = effectiveGroups[member]?.contains { (try? DistinguishedName($0)) == name } ?? false
                    if shouldBe != isMember {
                        changes.append(.init(operation: shouldBe ? .add : .delete, modification: PartialAttribute(type: "member", strings: [user.dn])))
                    }
                }
            } else {
                replaceIfDifferent(group, "member", effectiveMembers[name] ?? [], into: &changes)
            }
            let status: EntryStatus = groupIsOpen(name, at: date) ? .open : Validity(group).status(at: date) == .pending ? .pending : .closed
            replaceIfDifferent(group, AttributeName.status, [status.rawValue], into: &changes)
            replaceIfDifferent(group, AttributeName.level, [String(level(of: name))], into: &changes)
            if !changes.isEmpty { result.append((group.dn, changes)) }
        }
        for (name, membership) in memberships {
            var changes: [ModifyRequest.Change] = []
            let status: EntryStatus = isEffective(membership, group: name.ancestor(1), at: date) ? .open : Validity(membership).status(at: date) == .pending ? .pending : .closed
            replaceIfDifferent(membership, AttributeName.status, [status.rawValue], into: &changes)
            if !changes.isEmpty { result.append((membership.dn, changes)) }
        }
        let managed = managedGroups(at: date)
        for (name, user) in users {
            var changes: [ModifyRequest.Change] = []
            // memberOf: this convention's effective groups, the user's others kept.
            let others = user.values("memberOf").filter { value in
                guard let group = try? DistinguishedName(value) else { return true }
                return !group.isBelow(self.name)
            }
            replaceIfDifferent(user, "memberOf", others + (effectiveGroups[name] ?? []), into: &changes)
            // annManages (R8): the groups it manages here, those managed in other conventions kept.
            let otherManaged = user.values(AttributeName.manages).filter { value in
                guard let group = try? DistinguishedName(value) else { return true }
                return !group.isBelow(self.name)
            }
            let managedHere = (managed[name] ?? []).compactMap { groups[$0]?.dn }
            replaceIfDifferent(user, AttributeName.manages, otherManaged + managedHere, into: &changes)
            // annHabilitation: the profiles held through this convention's effective groups and through
            // the other conventions' groups in memberOf (R1); two conventions may grant the same profile.
            let otherProfiles = others.flatMap { value in
                (try? DistinguishedName(value)).flatMap { foreignGroupRoles[$0] } ?? []
            }
            var profiles: [String] = []
            var seenProfiles: Set<DistinguishedName> = []
            for profile in otherProfiles + (effectiveProfiles[name] ?? []) {
                if let key = try? DistinguishedName(profile), seenProfiles.insert(key).inserted { profiles.append(profile) }
            }
            replaceIfDifferent(user, AttributeName.habilitation, profiles, into: &changes)
            replaceIfDifferent(user, AttributeName.status, [Validity(user).status(at: date).rawValue], into: &changes)
            // R7 in slapd's terms: no bind before the open date nor from the close date on.
            let validity = Validity(user)
            replaceIfDifferent(user, "pwdStartTime", validity.open.map { [GeneralizedTime.string($0)] } ?? [], caseInsensitive: false, into: &changes)
            replaceIfDifferent(user, "pwdEndTime", validity.close.map { [GeneralizedTime.string($0)] } ?? [], caseInsensitive: false, into: &changes)
            if !changes.isEmpty { result.append((user.dn, changes)) }
        }
        return result
    }
}
