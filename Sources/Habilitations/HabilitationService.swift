public import DirectoryBackend
import Foundation
public import LDAPProtocol
public import Logging
import NIOConcurrencyHelpers

/// The one way changes reach the directory (both the generic LDAP operations
/// and the workflows go through it): it authorises the change for the
/// principal (R8), checks the domain rules on the entry as it will be
/// (R2–R5, R7), derives the materialised state of the conventions it touches
/// (member, memberOf, statuses, levels, ppolicy validity) and writes the
/// change and everything derived from it in one LDAP transaction (RFC 5805):
/// all or nothing.
public final class HabilitationService: Sendable {
    /// Where clients' changes are read and written: under the restricted identity the store
    /// gives clients' operations (`DirectoryStore.forClients`), which slapd itself denies the
    /// password attributes and its configuration.
    public let store: any DirectoryStore
    /// The service identity's store, for what clients may not reach in slapd but Annuaire's own
    /// work needs: an operator's Add of an account with its password (application accounts), the
    /// recovery token, whether an entry has a password at all (a refused bind's cost).
    public let serviceStore: any DirectoryStore
    public let layout: DirectoryLayout
    public let clock: any HabilitationClock
    /// Temporary passwords and the mails that carry them (R6, R9).
    public let passwords: PasswordLifecycle
    let logger: Logger
    /// One rule-checked write at a time (no lost update of derived values), a few waiting per identity.
    let writeGate: WriteGate
    /// Writes prepared again after losing a race with another front-end (`ConcurrencyGuard`).
    let conflictsRetried = NIOLockedValueBox(0)

    /// Attributes only the server writes: derived from memberships, responsibles, dates and parents.
    public static let derivedAttributes: Set<String> = [
        "member", "memberof", AttributeName.habilitation.lowercased(), AttributeName.manages.lowercased(), AttributeName.status.lowercased(), AttributeName.level.lowercased(), "pwdstarttime", "pwdendtime", AttributeName.revision.lowercased(),
    ]


    public init(
        store: any DirectoryStore, layout: DirectoryLayout, clock: any HabilitationClock = SystemClock(), mail: any MailTransport,
        outbox: MailOutbox, passwordSettings: PasswordLifecycle.Settings = .init(), templates: MailTemplates = MailTemplates(),
        queuedWritesPerIdentity: Int = 8, logger: Logger
    ) {
        writeGate = WriteGate(queuedPerIdentity: queuedWritesPerIdentity)
        self.store = store.forClients()
        serviceStore = store
        self.layout = layout
        self.clock = clock
        self.logger = logger
        // Temporary passwords are Annuaire's own work, under the service identity.
        passwords = PasswordLifecycle(
            store: store, layout: layout, clock: clock, mail: mail, outbox: outbox, templates: templates, settings: passwordSettings,
            logger: logger)
    }

    // MARK: - Generic LDAP writes

    public func add(dn: String, attributes: [PartialAttribute], by principal: Principal, controls: [LDAPControl]) async throws -> OperationOutcome {
        try refuseRecoveryAttributes(attributes.map(\.type))
        // What the rules refuse from the request alone is refused before queueing for the write gate.
        let name = try DistinguishedName(dn)
        let kind = try DomainEntryKind(name, layout: layout)
        _ = try DelegationPolicy.authorizeWrite(kind, name, principal: principal, creating: true)
        try refuseDerived(attributes.map(\.type), kind: kind)
        try DelegationPolicy.refusePrivileges(
            kind, types: Set(attributes.map { AccessPolicy.baseType($0.type) }),
            objectClasses: EntrySnapshot(dn: dn, attributes: attributes).objectClasses, principal: principal)
        return try await writeGate.withLock(for: principal.name.description) {
            try await retryingConflicts("add \(dn)") { try await unlockedAdd(dn: dn, attributes: attributes, by: principal, controls: controls) }
        }
    }

    private func unlockedAdd(dn: String, attributes: [PartialAttribute], by principal: Principal, controls: [LDAPControl]) async throws -> OperationOutcome {
        let name = try DistinguishedName(dn)
        let kind = try DomainEntryKind(name, layout: layout)
        let authority = try DelegationPolicy.authorizeWrite(kind, name, principal: principal, creating: true)
        var entry = EntrySnapshot(dn: dn, attributes: attributes)
        try refuseDerived(attributes.map(\.type), kind: kind)
        try DelegationPolicy.refusePrivileges(
            kind, types: Set(attributes.map { AccessPolicy.baseType($0.type) }), objectClasses: entry.objectClasses, principal: principal)
        try WritableAttributes.check(attributes.map(\.type), kind: kind, principal: principal, own: name == principal.name, creating: true)
        let today = GeneralizedTime.string(GeneralizedTime.startOfDay(clock.now))
        switch kind {
        case .group(let convention):
            if !entry.has(AttributeName.openDate) { entry.set(AttributeName.openDate, [today]) }
            _ = convention
            var world = try await ConventionWorld.load(name.ancestor(1).original(from: dn), store: store, layout: layout)
            if authority == .asResponsible {
                try await ResponsibleRules.judging(principal, in: world, at: clock.now, store: store).authorizeNewGroup(entry)
            }
            let level = try await checkGroup(entry, name: name, world: world)
            entry.set(AttributeName.level, [String(level)])
            entry.set(AttributeName.status, [Validity(entry).status(at: clock.now).rawValue])
            world.update(name, entry, kind: kind)
            return try await write(.add(entry), worlds: [world], controls: controls, by: principal)
        case .membership(_, let convention):
            if !entry.has(AttributeName.openDate) { entry.set(AttributeName.openDate, [today]) }
            var world = try await ConventionWorld.load(
                name.ancestor(2).original(from: dn), users: entry.values(AttributeName.member), store: store, layout: layout)
            if authority == .asResponsible {
                try await ResponsibleRules.judging(principal, in: world, at: clock.now, store: store).authorizeMembership(name)
            }
            // Authorised first (R8): whether the membership exists is told only to who may attach there.
            if let reattached = try await reattachIfEnded(name, entry, by: principal, controls: controls) { return reattached }
            guard world.groups[name.ancestor(1)] != nil else {
                throw LDAPOperationError(.noSuchObject, RuleViolation.text(.notFoundGroup, ["group": name.ancestor(1).original(from: dn)]), matchedDN: world.convention.dn)
            }
            let member = try await user(entry.value(AttributeName.member), in: world)
            try DomainRules.checkMembership(entry, name: name, member: member, conventionName: convention, layout: layout)
            if let member, let memberName = try? DistinguishedName(member.dn) { world.users[memberName] = member }
            entry.set(AttributeName.status, [EntryStatus.pending.rawValue])
            world.update(name, entry, kind: kind)
            return try await write(.add(entry), worlds: [world], controls: controls, by: principal)
        case .user:
            try DomainRules.checkUser(entry)
            try DomainRules.checkAdministeredConventions(entry)
            try await checkConventions(of: entry)
            if !entry.objectClasses.contains(ObjectClassName.user.lowercased()) { entry.set("objectClass", entry.values("objectClass") + [ObjectClassName.user]) }
            let validity = Validity(entry)
            entry.set(AttributeName.status, [validity.status(at: clock.now).rawValue])
            if let open = validity.open { entry.set("pwdStartTime", [GeneralizedTime.string(open)]) }
            if let close = validity.close { entry.set("pwdEndTime", [GeneralizedTime.string(close)]) }
            return try await write(.add(entry), worlds: [], controls: controls, by: principal)
        case .convention:
            try DomainRules.checkDates(entry, rule: "Conventions", openRequired: true)
            entry.set(AttributeName.status, [Validity(entry).status(at: clock.now).rawValue])
            return try await write(.add(entry), worlds: [], controls: controls, by: principal)
        default:
            return try await storeFor(add: attributes, by: principal).add(dn: dn, attributes: attributes, controls: controls)
        }
    }

    /// The store an Add goes to: the service identity's for an operator's Add that carries a
    /// password (the only client change slapd's access control lets no client identity make),
    /// the clients' otherwise.
    func storeFor(add attributes: [PartialAttribute], by principal: Principal) -> any DirectoryStore {
        principal.isOperator && attributes.contains { AccessPolicy.baseType($0.type) == "userpassword" } ? serviceStore : store
    }

    public func modify(dn: String, changes: [ModifyRequest.Change], by principal: Principal, controls: [LDAPControl]) async throws -> OperationOutcome {
        try refuseRecoveryAttributes(changes.map(\.modification.type))
        try await authorizeModifyBeforeQueueing(dn: dn, changes: changes, by: principal)
        return try await writeGate.withLock(for: principal.name.description) {
            try await retryingConflicts("modify \(dn)") { try await unlockedModify(dn: dn, changes: changes, by: principal, controls: controls) }
        }
    }

    /// The R8 judgement of a Modify as the entry is now, before the write queues for the gate: a
    /// refused write is answered at once and never delays anyone's (it is judged again in the gate,
    /// where the entry may have changed). Refusals that need the convention (a group's responsible's
    /// subgroups, the domain rules) are left to the gate.
    private func authorizeModifyBeforeQueueing(dn: String, changes: [ModifyRequest.Change], by principal: Principal) async throws {
        guard !principal.isOperator else { return }
        let name = try DistinguishedName(dn)
        let kind = try DomainEntryKind(name, layout: layout)
        try refuseDerived(changes.map(\.modification.type), kind: kind)
        try WritableAttributes.check(
            changes.map(\.modification.type), kind: kind, principal: principal, own: name == principal.name, creating: false)
        if case .user = kind {} else {
            _ = try DelegationPolicy.authorizeWrite(kind, name, principal: principal, creating: false)
        }
        // Missing: the gate answers noSuchObject, as it does now.
        guard let current = try await store.read(dn, attributes: ConventionWorld.userAttributes) else { return }
        let before = EntrySnapshot(current)
        var after = before
        after.apply(changes)
        _ = try DelegationPolicy.authorizeModify(kind, name, before: before, after: after, changes: changes, principal: principal)
    }

    /// R6: the recovery token's attributes are the server's own.
    private func refuseRecoveryAttributes(_ types: [String]) throws {
        if let type = types.first(where: { AccessPolicy.recoveryAttributes.contains(AccessPolicy.baseType($0)) }) {
            throw RuleViolation.delegation(.r6RecoveryAttributes, ["type": type])
        }
    }

    /// `reattaching`: an ended membership's new period (MembershipPeriods), recorded as such.
    func unlockedModify(
        dn: String, changes: [ModifyRequest.Change], by principal: Principal, controls: [LDAPControl], reattaching: Bool = false
    ) async throws -> OperationOutcome {
        let name = try DistinguishedName(dn)
        let kind = try DomainEntryKind(name, layout: layout)
        try refuseDerived(changes.map(\.modification.type), kind: kind)
        try WritableAttributes.check(
            changes.map(\.modification.type), kind: kind, principal: principal, own: name == principal.name, creating: false)
        // R8: where the name alone decides (anything but a person), refuse before looking, so that a
        // refusal does not tell whether an entry the principal may not see exists (50 either way).
        if case .user = kind {} else if !principal.isOperator {
            _ = try DelegationPolicy.authorizeWrite(kind, name, principal: principal, creating: false)
        }
        guard let current = try await store.read(dn, attributes: ConventionWorld.userAttributes) else {
            throw LDAPOperationError(.noSuchObject, RuleViolation.text(.notFoundEntry, ["dn": dn]))
        }
        let before = EntrySnapshot(current)
        var entry = before
        entry.apply(changes)
        let authority = try DelegationPolicy.authorizeModify(kind, name, before: before, after: entry, changes: changes, principal: principal)
        switch kind {
        case .group(let convention):
            var world = try await ConventionWorld.load(name.ancestor(1).original(from: dn), store: store, layout: layout)
            if authority == .asResponsible {
                try await ResponsibleRules.judging(principal, in: world, at: clock.now, store: store)
                    .authorizeGroupChange(name, before: before, after: entry, types: DelegationPolicy.changedTypes(changes))
            }
            _ = try await checkGroup(entry, name: name, world: world)
            _ = convention
            world.update(name, entry, kind: kind)
            return try await write(.modify(dn, changes), worlds: [world], controls: controls, by: principal, recording: .modify(before, entry, at: clock.now))
        case .membership(_, let convention):
            var world = try await ConventionWorld.load(
                name.ancestor(2).original(from: dn), users: before.values(AttributeName.member) + entry.values(AttributeName.member), store: store, layout: layout)
            if authority == .asResponsible {
                try await ResponsibleRules.judging(principal, in: world, at: clock.now, store: store).authorizeMembership(name)
            }
            let member = try await user(entry.value(AttributeName.member), in: world)
            try DomainRules.checkMembership(entry, name: name, member: member, conventionName: convention, layout: layout)
            if !reattaching { try MembershipPeriodRules.checkChange(before: before, after: entry, at: clock.now) }
            world.update(name, entry, kind: kind)
            return try await write(
                .modify(dn, changes), worlds: [world], controls: controls, by: principal,
                recording: .modify(before, entry, at: clock.now, as: reattaching ? .reattach : nil, concerns: entry.values(AttributeName.member)))
        case .user:
            if authority == .asResponsible {
                try await authorizeUserChangeAsResponsible(dn, before: before, principal: principal)
            }
            try DomainRules.checkUser(entry)
            try DomainRules.checkAdministeredConventions(entry)
            try await checkConventions(of: entry)
            // Every convention the user is or was in sees the change.
            let conventions = Set(before.values(AttributeName.convention) + entry.values(AttributeName.convention))
            var worlds: [ConventionWorld] = []
            for convention in conventions {
                var world = try await ConventionWorld.load(convention, users: [dn], store: store, layout: layout)
                world.update(name, entry, kind: kind)
                worlds.append(world)
            }
            if worlds.isEmpty {
                worlds.append(.person(name, entry))
            }
            return try await write(.modify(dn, changes), worlds: worlds, controls: controls, by: principal, recording: .modify(before, entry, at: clock.now))
        case .convention:
            try DomainRules.checkDates(entry, rule: "Conventions", openRequired: true)
            var world = try await ConventionWorld.load(dn, store: store, layout: layout)
            world.update(name, entry, kind: kind)
            return try await write(.modify(dn, changes), worlds: [world], controls: controls, by: principal, recording: .modify(before, entry, at: clock.now))
        default:
            return try await store.modify(dn: dn, changes: changes, controls: controls)
        }
    }

    public func delete(dn: String, by principal: Principal, controls: [LDAPControl]) async throws -> OperationOutcome {
        let name = try DistinguishedName(dn)
        let kind = try DomainEntryKind(name, layout: layout)
        _ = try DelegationPolicy.authorizeWrite(kind, name, principal: principal, creating: false)
        if case .user = kind, !principal.isOperator {
            throw RuleViolation.constraint(.r7UsersClosedKeepHistory)
        }
        return try await writeGate.withLock(for: principal.name.description) {
            try await retryingConflicts("delete \(dn)") { try await unlockedDelete(dn: dn, by: principal, controls: controls) }
        }
    }

    private func unlockedDelete(dn: String, by principal: Principal, controls: [LDAPControl]) async throws -> OperationOutcome {
        let name = try DistinguishedName(dn)
        let kind = try DomainEntryKind(name, layout: layout)
        let authority = try DelegationPolicy.authorizeWrite(kind, name, principal: principal, creating: false)
        switch kind {
        case .user where !principal.isOperator:
            throw RuleViolation.constraint(.ruleUsersAreClosed)
        case .user:
            return try await deletePerson(dn, controls: controls, by: principal)
        case .membership:
            guard let membership = try await store.read(dn, attributes: [AttributeName.member]) else {
                throw LDAPOperationError(.noSuchObject, RuleViolation.text(.notFoundEntry, ["dn": dn]))
            }
            var world = try await ConventionWorld.load(
                name.ancestor(2).original(from: dn), users: EntrySnapshot(membership).values(AttributeName.member), store: store, layout: layout)
            if authority == .asResponsible {
                try await ResponsibleRules.judging(principal, in: world, at: clock.now, store: store).authorizeMembership(name)
            }
            world.update(name, nil, kind: kind)
            return try await write(
                .delete(dn, dependents: []), worlds: [world], controls: controls, by: principal,
                recording: HistoryRecording(action: nil, changes: [], concerns: EntrySnapshot(membership).values(AttributeName.member)))
        case .group:
            var world = try await ConventionWorld.load(name.ancestor(1).original(from: dn), store: store, layout: layout)
            if authority == .asResponsible {
                try await ResponsibleRules.judging(principal, in: world, at: clock.now, store: store).refuseGroupDeletion(name)
            }
            world.update(name, nil, kind: kind)
            return try await write(.delete(dn, dependents: []), worlds: [world], controls: controls, by: principal)
        default:
            return try await store.delete(dn: dn, controls: controls)
        }
    }

    /// The operator erases a person: its memberships go in the same transaction, every group it was
    /// effectively in stops listing it (R5), and the history keeps the deletion (R11). A group's
    /// responsible is not erased while it is one (R2: a group always has its responsible).
    private func deletePerson(_ dn: String, controls: [LDAPControl], by principal: Principal) async throws -> OperationOutcome {
        guard try await store.read(dn, attributes: ["1.1"]) != nil else {
            throw LDAPOperationError(.noSuchObject, RuleViolation.text(.notFoundEntry, ["dn": dn]), matchedDN: layout.people)
        }
        let responsibleOf = try await store.searchAll(SearchQuery(
            base: layout.partners, scope: .wholeSubtree,
            filter: try SearchFilter.and([.equality("objectClass", Array(ObjectClassName.group.utf8)), .equality(AttributeName.responsible, Array(dn.utf8))]).rfc4515String(),
            attributes: ["1.1"]))
        if !responsibleOf.isEmpty {
            throw RuleViolation.constraint(.r2StillResponsible, ["dn": dn, "groups": responsibleOf.map(\.objectName).joined(separator: ", ")])
        }
        let memberships = try await store.searchAll(SearchQuery(
            base: layout.partners, scope: .wholeSubtree,
            filter: try ConventionWorld.membershipsFilter(of: dn),
            attributes: ["1.1"])).map(\.objectName)
        var byConvention: [String: [String]] = [:]
        for membership in memberships {
            byConvention[try DistinguishedName(membership).ancestor(2).original(from: membership), default: []].append(membership)
        }
        var worlds: [ConventionWorld] = []
        for (convention, gone) in byConvention.sorted(by: { $0.key < $1.key }) {
            var world = try await ConventionWorld.load(convention, users: [dn], store: store, layout: layout)
            for membership in gone {
                let membershipName = try DistinguishedName(membership)
                world.update(membershipName, nil, kind: try DomainEntryKind(membershipName, layout: layout))
            }
            worlds.append(world)
        }
        return try await write(.delete(dn, dependents: memberships), worlds: worlds, controls: controls, by: principal)
    }

    public func rename(dn: String, newRDN: String, deleteOldRDN: Bool, newSuperior: String?, by principal: Principal, controls: [LDAPControl]) async throws -> OperationOutcome {
        let kind = try DomainEntryKind(try DistinguishedName(dn), layout: layout)
        switch kind {
        case .user, .membership, .group:
            throw RuleViolation.refusal(.unwillingToPerform, .r2NeverRenamed)
        default:
            guard principal.isOperator else { throw RuleViolation.delegation(.r8OnlyOperatorRenames) }
            return try await store.rename(dn: dn, newRDN: newRDN, deleteOldRDN: deleteOldRDN, newSuperior: newSuperior, controls: controls)
        }
    }

    // MARK: - Helpers

    enum Write: Sendable {
        case add(EntrySnapshot)
        case modify(String, [ModifyRequest.Change])
        /// The entry and, deleted before it, the entries that go with it (a person's memberships).
        case delete(String, dependents: [String])
    }

    /// Controls that travel with the client's request inside the transaction;
    /// pre-/post-read are answered by reads around it (see `ReadEntryControls`).
    static let transactionControls: Set<String> = ["1.3.6.1.1.12", "2.16.840.1.113730.3.4.2", "1.2.840.113556.1.4.1413"]

    /// The change and what it implies, in one transaction.
    func write(
        _ write: Write, worlds: [ConventionWorld], controls: [LDAPControl], by principal: Principal, recording: HistoryRecording? = nil
    ) async throws -> OperationOutcome {
        let requestControls = controls.filter { Self.transactionControls.contains($0.oid) }
        let now = clock.now
        var derived: [(dn: String, changes: [ModifyRequest.Change])] = []
        var seen: Set<DistinguishedName> = []
        let target: DistinguishedName? = switch write {
        case .add(let entry): try? DistinguishedName(entry.dn)
        case .modify(let dn, _), .delete(let dn, _): try? DistinguishedName(dn)
        }
        // Nothing is derived onto what the write deletes.
        var gone: Set<DistinguishedName> = []
        if case .delete(_, let dependents) = write {
            gone = Set(dependents.compactMap { try? DistinguishedName($0) } + [target].compactMap { $0 })
        }
        var targetChanges: [ModifyRequest.Change] = []
        for world in worlds {
            for (dn, changes) in try await world.derivedChangesOffloaded(at: now) {
                guard let name = try? DistinguishedName(dn), !gone.contains(name), seen.insert(name).inserted else { continue }
                // A new entry carries its derived values in the add itself.
                if case .add = write, name == target {
                    targetChanges += changes
                    continue
                }
                derived.append((dn, changes))
            }
        }
        let write = Self.applying(targetChanges, to: write)
        let derivedChanges = derived
        // R11: the change is recorded with it.
        let (action, targetDN, ownConventions): (String, String, [String]) = switch write {
        case .add(let entry): ("add", entry.dn, entry.values(AttributeName.convention))
        case .modify(let dn, _): ("modify", dn, [])
        case .delete(let dn, _): ("delete", dn, [])
        }
        var conventions = worlds.map(\.convention.dn).filter { !$0.isEmpty } + ownConventions
        conventions = Array(Set(conventions.map { $0 })).sorted()
        let recorded = recording ?? HistoryRecording.default(for: write)
        let event = HistoryEvent(
            actor: principal.dn, action: recorded.action?.rawValue ?? action, target: targetDN, time: now, conventions: conventions,
            changes: recorded.changes, concerns: recorded.concerns
        ).entry(layout: layout)
        var change: [PlannedOperation]
        var deferred: [String] = []
        switch write {
        case .add(let entry):
            change = [.add(entry.dn, entry.attributes.map { PartialAttribute(type: $0.key, strings: $0.value) }, controls: requestControls)]
        case .modify(let dn, let changes):
            change = [.modify(dn, changes, controls: requestControls)]
        case .delete(let dn, let dependents):
            // A delete that would leave its parent childless is a close here and a delete after (LastChildDeletion).
            let last = try await lastChildren(among: dependents + [dn])
            change = []
            for target in dependents + [dn] {
                if last.contains(target) {
                    var close = try await closing(target)
                    if target == dn { close.controls = requestControls }  // the client's assertion holds on what is closed
                    change.append(close)
                    deferred.append(target)
                } else {
                    change.append(PlannedOperation(dn: target, kind: .delete, controls: target == dn ? requestControls : []))
                }
            }
        }
        let operations = [PlannedOperation.add(event.dn, event.attributes)] + change + derivedChanges.map { PlannedOperation.derived($0.dn, $0.changes) }
        var writer = store
        if case .add(let entry) = write {
            writer = storeFor(add: entry.attributes.map { PartialAttribute(type: $0.key, strings: $0.value) }, by: principal)
        }
        try await commit(operations, guardedBy: ConcurrencyGuard(worlds: worlds, rewritten: derivedChanges.map(\.dn)), on: writer)
        await deleteAfterCommit(deferred)
        if !derived.isEmpty {
            logger.debug("materialised state updated", metadata: ["entries": "\(derived.count)"])
        }
        return OperationOutcome(result: .success, controls: [])
    }

    /// A new entry with its own derived values (status, level…) applied.
    private static func applying(_ changes: [ModifyRequest.Change], to write: Write) -> Write {
        guard case .add(var entry) = write, !changes.isEmpty else { return write }
        entry.apply(changes)
        return .add(entry)
    }

    /// The user entry `dn` names, from the world or from slapd.
    private func user(_ dn: String?, in world: ConventionWorld) async throws -> EntrySnapshot? {
        guard let dn, let name = try? DistinguishedName(dn) else { return nil }
        if let known = world.users[name] { return known }
        guard case .user = try DomainEntryKind(name, layout: layout) else { return nil }
        return try await store.read(dn, attributes: ConventionWorld.userAttributes).map(EntrySnapshot.init)
    }

    private func checkGroup(_ entry: EntrySnapshot, name: DistinguishedName, world: ConventionWorld) async throws -> Int {
        let responsible = try await user(entry.value(AttributeName.responsible), in: world)
        let parent = entry.value(AttributeName.parentGroup).flatMap { try? DistinguishedName($0) }.flatMap { world.groups[$0] }
        return try DomainRules.checkGroup(
            entry, name: name, convention: world.convention, conventionName: world.name,
            responsible: responsible, parent: parent, layout: layout)
    }

    /// R4: a user's conventions are conventions.
    private func checkConventions(of user: EntrySnapshot) async throws {
        for convention in user.values(AttributeName.convention) {
            guard case .convention = try DomainEntryKind(try DistinguishedName(convention), layout: layout),
                  try await store.read(convention, attributes: ["1.1"]) != nil
            else {
                throw RuleViolation.constraint(.ruleNotAConvention, ["convention": convention])
            }
        }
    }

    private func refuseDerived(_ types: [String], kind: DomainEntryKind) throws {
        switch kind {
        case .group, .membership, .user, .convention: break
        default: return
        }
        if let type = types.first(where: { Self.derivedAttributes.contains($0.lowercased()) }) {
            throw RuleViolation.constraint(.r5Derived, ["type": type])
        }
    }
}

extension DistinguishedName {
    /// This DN spelled as in `original` when it is one of its ancestors (keeps the client's spelling), else normalised.
    func original(from original: String) -> String {
        guard let full = try? DistinguishedName(original), full.isWithin(self) else { return description }
        return Self.ancestor(of: original, levels: full.rdns.count - rdns.count)
    }
}
