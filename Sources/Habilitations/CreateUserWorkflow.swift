public import LDAPProtocol
import Messages

/// The "create a user" workflow (R4, R5, R8): a partner administrator (or the
/// operator) creates a person in one of its conventions, a group's responsible
/// into one of the groups it manages, fields typed twice,
/// with a habilitation group chosen at creation; the server generates the
/// identifier and writes the user, its membership and what they imply in one
/// transaction, then mails the identifier and a temporary password (R6).
/// `createUsers` does the same for a batch, all or nothing (bulk onboarding).
extension HabilitationService {
    public func createUser(_ request: CreateUserRequest, by principal: Principal) async throws -> CreateUserResponse {
        // Refused by R8 before queueing for the write gate (a refused request never delays others).
        _ = try authorizeNewUser(in: try DistinguishedName(request.convention), by: principal)
        let written = try await writeGate.withLock(for: principal.name.description) {
            try await retryingConflicts("create-user") {
                var worlds: [DistinguishedName: ConventionWorld] = [:]
                let pending = try await checkNewUser(request, by: principal, worlds: &worlds)
                return try await writeNewUsers([pending], worlds: worlds, by: principal)
            }
        }
        guard let created = written.first else {
            throw LDAPOperationError(.other, "the user was not created")
        }
        await mailNewUsers(written)
        return created
    }

    /// Bulk onboarding: every request is checked first; one refusal and nothing is written (the
    /// refusals say which and why); otherwise all are written in one transaction, in request order.
    public func createUsers(_ batch: CreateUsersRequest, by principal: Principal) async throws -> CreateUsersResponse {
        let response = try await writeGate.withLock(for: principal.name.description) { try await retryingConflicts("create-users") {
            var worlds: [DistinguishedName: ConventionWorld] = [:]
            var pending: [PendingUser] = []
            var refused: [CreateUsersResponse.Refusal] = []
            for (index, request) in batch.users.enumerated() {
                if request.newGroup != nil {
                    refused.append(.init(index: index, diagnosticMessage: RuleViolation.text(.r2GroupOneAtATime)))
                    continue
                }
                do {
                    pending.append(try await checkNewUser(request, by: principal, worlds: &worlds))
                } catch let error as LDAPOperationError {
                    refused.append(.init(index: index, diagnosticMessage: error.diagnosticMessage))
                }
            }
            guard refused.isEmpty, !batch.dryRun, !pending.isEmpty else {
                return CreateUsersResponse(created: [], refused: refused)
            }
            return CreateUsersResponse(created: try await writeNewUsers(pending, worlds: worlds, by: principal), refused: [])
        } }
        await mailNewUsers(response.created)
        return response
    }

    /// A create-user request once checked: the user as it will be written, without its identifier yet.
    struct PendingUser {
        var user: EntrySnapshot
        var group: DistinguishedName
        var groupDN: String
        var convention: DistinguishedName
        var openDate: String
        /// R2: the group, created with the user as its responsible (its `annResponsible` is set once the identifier is known).
        var newGroup: EntrySnapshot?
    }


    /// Checks one request against R4, R8 and its convention (loaded once into `worlds`).
    /// R8 from the names alone: whether `principal` may create users in `convention`, and whether only as
    /// a group's responsible (then the group is checked against the convention as it is now).
    func authorizeNewUser(in convention: DistinguishedName, by principal: Principal) throws -> Bool {
        switch principal.role {
        case .operator:
            return false
        case .partnerAdministrator(let conventions) where conventions.contains(convention):
            return false
        default:
            // A group's responsible: only into a group it manages (as resolved at bind, then as the convention is now).
            guard principal.managedGroups.contains(where: { $0.isBelow(convention) }) else {
                throw RuleViolation.delegation(principal.managedGroups.isEmpty ? .r8CreateUsersInConvention : .r8CreateUsersInConventionOrGroup)
            }
            return true
        }
    }

    func checkNewUser(_ request: CreateUserRequest, by principal: Principal, worlds: inout [DistinguishedName: ConventionWorld]) async throws -> PendingUser {
        let convention = try DistinguishedName(request.convention)
        guard case .convention = try DomainEntryKind(convention, layout: layout) else {
            throw RuleViolation.constraint(.ruleNotAConvention, ["convention": request.convention])
        }
        let asResponsible = try authorizeNewUser(in: convention, by: principal)
        guard request.mail.lowercased() == request.mailConfirmation.lowercased() else {
            throw RuleViolation.constraint(.ruleMailsDiffer)
        }
        if request.telephoneNumber != request.telephoneConfirmation {
            throw RuleViolation.constraint(.rulePhonesDiffer)
        }
        guard let workMode = request.workMode else {
            throw RuleViolation.constraint(.ruleWorkModeRequired)
        }
        if worlds[convention] == nil {
            // Scoped: the new users are put in it as they are created.
            worlds[convention] = try await ConventionWorld.load(request.convention, users: [], store: store, layout: layout)
        }
        guard let world = worlds[convention] else { throw LDAPOperationError(.other, "convention \(request.convention) was not loaded") }
        let groupName = try DistinguishedName(request.group)
        if asResponsible {
            try await ResponsibleRules.judging(principal, in: world, at: clock.now, store: store).authorizeNewUser(in: groupName)
        }
        let today = GeneralizedTime.string(GeneralizedTime.startOfDay(clock.now))
        let openDate = request.openDate ?? today
        let user = EntrySnapshot(dn: "", attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", ObjectClassName.user]),
            PartialAttribute(type: "sn", strings: [request.sn]),
            PartialAttribute(type: "givenName", strings: [request.givenName]),
            PartialAttribute(type: "cn", strings: ["\(request.givenName) \(request.sn)"]),
            PartialAttribute(type: "mail", strings: [request.mail]),
            PartialAttribute(type: "telephoneNumber", strings: request.telephoneNumber.map { [$0] } ?? []),
            PartialAttribute(type: AttributeName.workMode, strings: [workMode]),
            PartialAttribute(type: AttributeName.convention, strings: [world.convention.dn]),
            PartialAttribute(type: AttributeName.openDate, strings: [openDate]),
            PartialAttribute(type: AttributeName.closeDate, strings: request.closeDate.map { [$0] } ?? []),
        ])
        try DomainRules.checkUser(user)
        if let fields = request.newGroup {
            let group = try checkNewGroup(fields, name: groupName, dn: request.group, responsible: user, in: world, by: principal, today: today)
            worlds[convention]?.update(groupName, group, kind: .group(convention: convention))
            return PendingUser(user: user, group: groupName, groupDN: group.dn, convention: convention, openDate: openDate, newGroup: group)
        }
        guard let group = world.groups[groupName] else {
            throw RuleViolation.constraint(.ruleHabilitationGroupOutside, ["group": request.group, "convention": request.convention])
        }
        return PendingUser(user: user, group: groupName, groupDN: group.dn, convention: convention, openDate: openDate)
    }

    /// R2, R3, R8 for a group created with its responsible: the principal may create groups in
    /// the convention, the code is free, and the group passes the rules any group does.
    private func checkNewGroup(
        _ fields: CreateUserRequest.NewGroup, name: DistinguishedName, dn: String, responsible: EntrySnapshot, in world: ConventionWorld,
        by principal: Principal, today: String
    ) throws -> EntrySnapshot {
        // The code as the client spelled it (codes are letters, digits, '-', '_', '.': R2; nothing to unescape).
        let rdn = dn.split(separator: ",", maxSplits: 1).first.map { $0.split(separator: "=", maxSplits: 1) } ?? []
        guard name.ancestor(1) == world.name, rdn.count == 2, rdn[0].trimmingCharacters(in: .whitespaces).lowercased() == "cn" else {
            throw RuleViolation.constraint(.ruleNewGroupName, ["dn": dn, "convention": world.convention.dn])
        }
        let code = rdn[1].trimmingCharacters(in: .whitespaces)
        if try DelegationPolicy.authorizeWrite(.group(convention: world.name), name, principal: principal, creating: true) == .asResponsible {
            throw RuleViolation.delegation(.r8ResponsibleNoNewResponsible)
        }
        if world.groups[name] != nil {
            throw RuleViolation.refusal(.entryAlreadyExists, .r2GroupCodeUsed, ["code": code, "convention": world.convention.dn])
        }
        var group = EntrySnapshot(dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: [ObjectClassName.group]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: AttributeName.label, strings: [fields.label]),
            PartialAttribute(type: AttributeName.role, strings: fields.roles),
            PartialAttribute(type: AttributeName.parentGroup, strings: fields.parent.map { [$0] } ?? []),
            PartialAttribute(type: AttributeName.openDate, strings: [fields.openDate ?? today]),
            PartialAttribute(type: AttributeName.closeDate, strings: fields.closeDate.map { [$0] } ?? []),
            // Until the identifier is generated, the rules see the new user under a provisional DN.
            PartialAttribute(type: AttributeName.responsible, strings: [layout.user("pending-identifier")]),
        ])
        var provisional = responsible
        provisional.dn = layout.user("pending-identifier")
        let parent = fields.parent.flatMap { try? DistinguishedName($0) }.flatMap { world.groups[$0] }
        if fields.parent != nil, parent == nil {
            throw RuleViolation.constraint(.ruleNewGroupParentOutside, ["parent": fields.parent ?? "", "convention": world.convention.dn])
        }
        let level = try DomainRules.checkGroup(
            group, name: name, convention: world.convention, conventionName: world.name,
            responsible: provisional, parent: parent, layout: layout)
        group.set(AttributeName.level, [String(level)])
        return group
    }

    /// Gives each checked user an identifier, then writes the users, their memberships, the
    /// history and the derived state in one transaction; then mails each its identifier and a temporary password.
    func writeNewUsers(_ pending: [PendingUser], worlds: [DistinguishedName: ConventionWorld], by principal: Principal) async throws -> [CreateUserResponse] {
        var worlds = worlds
        var newEntries: [DistinguishedName: EntrySnapshot] = [:]
        var order: [(user: DistinguishedName, membership: DistinguishedName, group: DistinguishedName?, conventionDN: String)] = []
        var created: [CreateUserResponse] = []
        let generator = IdentifierGenerator(store: store, layout: layout)
        for item in pending {
            let (identifier, number) = try await generator.nextNumbered()
            let dn = layout.user(identifier)
            var user = item.user
            user.dn = dn
            user.set("uid", [identifier])
            // RFC 2307: the NSS identity, from the identifier's number (PosixIdentity).
            user.set("objectClass", user.values("objectClass") + ["posixAccount"])
            for attribute in PosixIdentity.attributes(identifier: identifier, number: number) {
                user.set(attribute.type, attribute.stringValues)
            }
            let validity = Validity(user)
            user.set(AttributeName.status, [validity.status(at: clock.now).rawValue])
            if let open = validity.open { user.set("pwdStartTime", [GeneralizedTime.string(open)]) }
            if let close = validity.close { user.set("pwdEndTime", [GeneralizedTime.string(close)]) }
            let membershipDN = "annMemberUid=\(identifier),\(item.groupDN)"
            let membership = EntrySnapshot(dn: membershipDN, attributes: [
                PartialAttribute(type: "objectClass", strings: [ObjectClassName.membership]),
                PartialAttribute(type: AttributeName.memberUid, strings: [identifier]),
                PartialAttribute(type: AttributeName.member, strings: [dn]),
                PartialAttribute(type: AttributeName.openDate, strings: [item.openDate]),
            ])
            if var group = item.newGroup {
                group.set(AttributeName.responsible, [dn])
                group.set(AttributeName.status, [Validity(group).status(at: clock.now).rawValue])
                worlds[item.convention]?.update(item.group, group, kind: .group(convention: item.convention))
                newEntries[item.group] = group
            }
            let membershipName = try DistinguishedName(membershipDN)
            try DomainRules.checkMembership(membership, name: membershipName, member: user, conventionName: item.convention, layout: layout)
            let userName = try DistinguishedName(dn)
            worlds[item.convention]?.update(userName, user, kind: .user)
            worlds[item.convention]?.update(membershipName, membership, kind: .membership(group: item.group, convention: item.convention))
            newEntries[userName] = user
            newEntries[membershipName] = membership
            order.append((userName, membershipName, item.newGroup == nil ? nil : item.group, worlds[item.convention]?.convention.dn ?? ""))
            created.append(CreateUserResponse(identifier: identifier, dn: dn))
        }

        // The new entries carry their derived values; the rest is modified.
        var derived: [(dn: String, changes: [ModifyRequest.Change])] = []
        for world in worlds.values {
            for (target, changes) in try await world.derivedChangesOffloaded(at: clock.now) {
                guard let name = try? DistinguishedName(target) else { continue }
                if newEntries[name] != nil {
                    newEntries[name]?.apply(changes)
                } else {
                    derived.append((target, changes))
                }
            }
        }
        var writes: [PlannedOperation] = []
        for (index, item) in order.enumerated() {
            // R11: the person's fields as created, and the group chosen at creation (R4) as the pseudo-field "group".
            let event = HistoryEvent(
                actor: principal.dn, action: "create-user", target: created[index].dn, time: clock.now, conventions: [item.conventionDN],
                changes: HistoryChange.between(nil, newEntries[item.user]) + [HistoryChange(attribute: "group", old: [], new: [pending[index].groupDN])]
            ).entry(layout: layout)
            writes.append(.add(event.dn, event.attributes))
            if let group = item.group, let entry = newEntries[group] {
                // R11: the group created on the spot has its own event; it is added before the membership below it.
                let groupEvent = HistoryEvent(actor: principal.dn, action: "add", target: entry.dn, time: clock.now, conventions: [item.conventionDN])
                    .entry(layout: layout)
                writes.append(.add(groupEvent.dn, groupEvent.attributes))
            }
            for name in [item.group, item.user, item.membership].compactMap({ $0 }) {
                guard let entry = newEntries[name] else { continue }
                writes.append(.add(entry.dn, entry.attributes.map { PartialAttribute(type: $0.key, strings: $0.value) }))
            }
        }
        try await commit(
            writes + derived.map { PlannedOperation.derived($0.dn, $0.changes) },
            guardedBy: ConcurrencyGuard(worlds: Array(worlds.values), rewritten: derived.map(\.dn)))
        for user in created {
            logger.info("user created", metadata: ["identifier": "\(user.identifier)", "by": "\(principal.dn)"])
        }
        return created
    }

    /// R4, R6: the identifier and a temporary password go to each new person, by mail only
    /// (after the write, outside the write gate: a slow mail server holds up no other write).
    func mailNewUsers(_ created: [CreateUserResponse]) async {
        for user in created {
            do {
                try await passwords.mailIdentifier(of: user.dn)
                try await passwords.issueFirstPassword(for: user.dn)
            } catch {
                logger.error("the new user's mails could not be sent; \"forgot password\" will issue a password", metadata: ["dn": "\(user.dn)", "error": "\(error)"])
            }
        }
    }
}
