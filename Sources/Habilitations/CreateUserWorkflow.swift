public import LDAPProtocol

/// The "create a user" workflow (R4, R5, R8): a partner administrator (or the
/// operator) creates a person in one of its conventions, a group's responsible
/// into one of the groups it manages, fields typed twice,
/// with a habilitation group chosen at creation; the server generates the
/// identifier and writes the user, its membership and what they imply in one
/// transaction, then mails the identifier and a temporary password (R6).
/// `createUsers` does the same for a batch, all or nothing (bulk onboarding).
extension HabilitationService {
    public func createUser(_ request: CreateUserRequest, by principal: Principal) async throws -> CreateUserResponse {
        let written = try await writeGate.withLock {
            var worlds: [DistinguishedName: ConventionWorld] = [:]
            let pending = try await checkNewUser(request, by: principal, worlds: &worlds)
            return try await writeNewUsers([pending], worlds: worlds, by: principal)
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
        let response = try await writeGate.withLock {
            var worlds: [DistinguishedName: ConventionWorld] = [:]
            var pending: [PendingUser] = []
            var refused: [CreateUsersResponse.Refusal] = []
            for (index, request) in batch.users.enumerated() {
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
        }
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
    }

    /// Checks one request against R4, R8 and its convention (loaded once into `worlds`).
    func checkNewUser(_ request: CreateUserRequest, by principal: Principal, worlds: inout [DistinguishedName: ConventionWorld]) async throws -> PendingUser {
        let convention = try DistinguishedName(request.convention)
        guard case .convention = try DomainEntryKind(convention, layout: layout) else {
            throw RuleViolation.constraint("R4", "\(request.convention) is not a convention")
        }
        let asResponsible: Bool
        switch principal.role {
        case .operator:
            asResponsible = false
        case .partnerAdministrator(let conventions) where conventions.contains(convention):
            asResponsible = false
        default:
            // A group's responsible: only into a group it manages (as resolved at bind, then as the convention is now).
            guard principal.managedGroups.contains(where: { $0.isBelow(convention) }) else {
                throw RuleViolation.delegation(
                    principal.managedGroups.isEmpty
                        ? "you may create users only in a convention you administer"
                        : "you may create users only in a convention you administer, or into a group you manage")
            }
            asResponsible = true
        }
        guard request.mail.lowercased() == request.mailConfirmation.lowercased() else {
            throw RuleViolation.constraint("R4", "the two e-mail addresses differ (mail, mailConfirmation)")
        }
        if request.telephoneNumber != request.telephoneConfirmation {
            throw RuleViolation.constraint("R4", "the two phone numbers differ (telephoneNumber, telephoneConfirmation)")
        }
        guard let workMode = request.workMode else {
            throw RuleViolation.constraint("R4", "say whether the user is sedentary or itinerant (workMode)")
        }
        if worlds[convention] == nil {
            worlds[convention] = try await ConventionWorld.load(request.convention, store: store, layout: layout)
        }
        guard let world = worlds[convention] else { throw LDAPOperationError(.other, "convention \(request.convention) was not loaded") }
        let groupName = try DistinguishedName(request.group)
        if asResponsible {
            try await ResponsibleRules.judging(principal, in: world, at: clock.now).authorizeNewUser(in: groupName)
        }
        guard let group = world.groups[groupName] else {
            throw RuleViolation.constraint("R4", "the habilitation group \(request.group) is not a group of convention \(request.convention)")
        }
        let today = GeneralizedTime.string(GeneralizedTime.startOfDay(clock.now))
        let openDate = request.openDate ?? today
        let user = EntrySnapshot(dn: "", attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "annUser"]),
            PartialAttribute(type: "sn", strings: [request.sn]),
            PartialAttribute(type: "givenName", strings: [request.givenName]),
            PartialAttribute(type: "cn", strings: ["\(request.givenName) \(request.sn)"]),
            PartialAttribute(type: "mail", strings: [request.mail]),
            PartialAttribute(type: "telephoneNumber", strings: request.telephoneNumber.map { [$0] } ?? []),
            PartialAttribute(type: "annWorkMode", strings: [workMode]),
            PartialAttribute(type: "annConvention", strings: [world.convention.dn]),
            PartialAttribute(type: "annOpenDate", strings: [openDate]),
            PartialAttribute(type: "annCloseDate", strings: request.closeDate.map { [$0] } ?? []),
        ])
        try DomainRules.checkUser(user)
        return PendingUser(user: user, group: groupName, groupDN: group.dn, convention: convention, openDate: openDate)
    }

    /// Gives each checked user an identifier, then writes the users, their memberships, the
    /// history and the derived state in one transaction; then mails each its identifier and a temporary password.
    func writeNewUsers(_ pending: [PendingUser], worlds: [DistinguishedName: ConventionWorld], by principal: Principal) async throws -> [CreateUserResponse] {
        var worlds = worlds
        var newEntries: [DistinguishedName: EntrySnapshot] = [:]
        var order: [(user: DistinguishedName, membership: DistinguishedName, conventionDN: String)] = []
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
            user.set("annStatus", [validity.status(at: clock.now)])
            if let open = validity.open { user.set("pwdStartTime", [GeneralizedTime.string(open)]) }
            if let close = validity.close { user.set("pwdEndTime", [GeneralizedTime.string(close)]) }
            let membershipDN = "annMemberUid=\(identifier),\(item.groupDN)"
            let membership = EntrySnapshot(dn: membershipDN, attributes: [
                PartialAttribute(type: "objectClass", strings: ["annMembership"]),
                PartialAttribute(type: "annMemberUid", strings: [identifier]),
                PartialAttribute(type: "annMember", strings: [dn]),
                PartialAttribute(type: "annOpenDate", strings: [item.openDate]),
            ])
            let membershipName = try DistinguishedName(membershipDN)
            try DomainRules.checkMembership(membership, name: membershipName, member: user, conventionName: item.convention, layout: layout)
            let userName = try DistinguishedName(dn)
            worlds[item.convention]?.update(userName, user, kind: .user)
            worlds[item.convention]?.update(membershipName, membership, kind: .membership(group: item.group, convention: item.convention))
            newEntries[userName] = user
            newEntries[membershipName] = membership
            order.append((userName, membershipName, worlds[item.convention]?.convention.dn ?? ""))
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
        var writes: [(dn: String, attributes: [PartialAttribute])] = []
        for (index, item) in order.enumerated() {
            let event = HistoryEvent(
                actor: principal.dn, action: "create-user", target: created[index].dn, time: clock.now, conventions: [item.conventionDN]
            ).entry(layout: layout)
            writes.append(event)
            for name in [item.user, item.membership] {
                guard let entry = newEntries[name] else { continue }
                writes.append((entry.dn, entry.attributes.map { PartialAttribute(type: $0.key, strings: $0.value) }))
            }
        }
        let adds = writes
        let modifies = derived
        try await store.transaction { writer in
            for (dn, attributes) in adds { try writer.add(dn: dn, attributes: attributes) }
            for (target, changes) in modifies { try writer.modify(dn: target, changes: changes) }
        }
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
                try await passwords.issueTemporaryPassword(for: user.dn)
            } catch {
                logger.error("the new user's mails could not be sent; \"forgot password\" will issue a password", metadata: ["dn": "\(user.dn)", "error": "\(error)"])
            }
        }
    }
}
