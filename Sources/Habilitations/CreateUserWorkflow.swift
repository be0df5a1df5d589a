public import LDAPProtocol

/// The "create a user" workflow (R4, R5, R8): a partner administrator (or the
/// operator) creates a person in one of its conventions, fields typed twice,
/// with a habilitation group chosen at creation; the server generates the
/// identifier and writes the user, its membership and what they imply in one
/// transaction. (Mailing the identifier and a temporary password is the
/// password issue's: until then the user has no password.)
extension HabilitationService {
    public func createUser(_ request: CreateUserRequest, by principal: Principal) async throws -> CreateUserResponse {
        let convention = try DistinguishedName(request.convention)
        guard case .convention = try DomainEntryKind(convention, layout: layout) else {
            throw RuleViolation.constraint("R4", "\(request.convention) is not a convention")
        }
        switch principal.role {
        case .operator: break
        case .partnerAdministrator(let conventions) where conventions.contains(convention): break
        default: throw RuleViolation.delegation("you may create users only in a convention you administer")
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
        var world = try await ConventionWorld.load(request.convention, store: store, layout: layout)
        let groupName = try DistinguishedName(request.group)
        guard let group = world.groups[groupName] else {
            throw RuleViolation.constraint("R4", "the habilitation group \(request.group) is not a group of convention \(request.convention)")
        }
        let today = GeneralizedTime.string(GeneralizedTime.startOfDay(clock.now))
        let openDate = request.openDate ?? today
        var user = EntrySnapshot(dn: "", attributes: [
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

        let identifier = try await IdentifierGenerator(store: store, layout: layout).next()
        let dn = layout.user(identifier)
        user.dn = dn
        user.set("uid", [identifier])
        let validity = Validity(user)
        user.set("annStatus", [validity.status(at: clock.now)])
        if let open = validity.open { user.set("pwdStartTime", [GeneralizedTime.string(open)]) }
        if let close = validity.close { user.set("pwdEndTime", [GeneralizedTime.string(close)]) }

        let membershipDN = "annMemberUid=\(identifier),\(group.dn)"
        var membership = EntrySnapshot(dn: membershipDN, attributes: [
            PartialAttribute(type: "objectClass", strings: ["annMembership"]),
            PartialAttribute(type: "annMemberUid", strings: [identifier]),
            PartialAttribute(type: "annMember", strings: [dn]),
            PartialAttribute(type: "annOpenDate", strings: [openDate]),
        ])
        try DomainRules.checkMembership(membership, name: try DistinguishedName(membershipDN), member: user, conventionName: convention, layout: layout)
        let userName = try DistinguishedName(dn)
        let membershipName = try DistinguishedName(membershipDN)
        world.update(userName, user, kind: .user)
        world.update(membershipName, membership, kind: .membership(group: groupName, convention: convention))

        // The new entries carry their derived values; the rest is modified.
        var derived: [(dn: String, changes: [ModifyRequest.Change])] = []
        for (target, changes) in world.derivedChanges(at: clock.now) {
            guard let name = try? DistinguishedName(target) else { continue }
            if name == userName {
                user.apply(changes)
            } else if name == membershipName {
                membership.apply(changes)
            } else {
                derived.append((target, changes))
            }
        }
        let newUser = user
        let newMembership = membership
        let derivedChanges = derived
        let event = HistoryEvent(
            actor: principal.dn, action: "create-user", target: dn, time: clock.now, conventions: [world.convention.dn]
        ).entry(layout: layout)
        try await store.transaction { writer in
            try writer.add(dn: event.dn, attributes: event.attributes)
            try writer.add(dn: newUser.dn, attributes: newUser.attributes.map { PartialAttribute(type: $0.key, strings: $0.value) })
            try writer.add(dn: newMembership.dn, attributes: newMembership.attributes.map { PartialAttribute(type: $0.key, strings: $0.value) })
            for (target, changes) in derivedChanges { try writer.modify(dn: target, changes: changes) }
        }
        logger.info("user created", metadata: ["identifier": "\(identifier)", "by": "\(principal.dn)", "group": "\(group.dn)"])
        // R4, R6: the identifier and a temporary password go to the person, by mail only.
        do {
            try await passwords.mailIdentifier(of: dn)
            try await passwords.issueTemporaryPassword(for: dn)
        } catch {
            logger.error("the new user's mails could not be sent; \"forgot password\" will issue a password", metadata: ["dn": "\(dn)", "error": "\(error)"])
        }
        return CreateUserResponse(identifier: identifier, dn: dn)
    }
}
