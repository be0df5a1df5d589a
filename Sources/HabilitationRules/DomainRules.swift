import Foundation
public import LDAPProtocol
import Messages

/// The field rules of docs/domain.md, as pure checks on an entry as it will be
/// after a change: R2 (groups), R3 (roles), R4 (users), R5 (memberships) and
/// the open/close dates they share. Each violation names its rule and field.
public enum DomainRules {
    /// Dates are required where the rule says so and must be valid GeneralizedTime, the close not before the open.
    public static func checkDates(_ entry: EntrySnapshot, rule: String, openRequired: Bool) throws {
        if let text = entry.value(AttributeName.openDate), GeneralizedTime.date(text) == nil {
            throw RuleViolation.constraint(.ruleOpenDateNotADate, ["rule": rule, "text": text])
        }
        if let text = entry.value(AttributeName.closeDate), GeneralizedTime.date(text) == nil {
            throw RuleViolation.constraint(.ruleCloseDateNotADate, ["rule": rule, "text": text])
        }
        if openRequired && !entry.has(AttributeName.openDate) {
            throw RuleViolation.constraint(.ruleOpenDateRequired, ["rule": rule])
        }
        let validity = Validity(entry)
        if let open = validity.open, let close = validity.close, close < open {
            throw RuleViolation.constraint(.ruleCloseBeforeOpen, ["rule": rule])
        }
    }

    /// R2: code, label, dates, responsible, parent; R3: roles. Returns the derived level.
    public static func checkGroup(
        _ group: EntrySnapshot, name: DistinguishedName, convention: EntrySnapshot, conventionName: DistinguishedName,
        responsible: EntrySnapshot?, parent: EntrySnapshot?, layout: DirectoryLayout
    ) throws -> Int {
        guard let code = name.leafValue("cn"), group.has("cn") else {
            throw RuleViolation.constraint(.ruleGroupNamedByCode)
        }
        try checkGroupCode(code)
        try FieldLengths.check(group, rule: "R2")
        guard let label = group.value(AttributeName.label), !label.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RuleViolation.constraint(.ruleGroupLabelRequired)
        }
        try checkDates(group, rule: "R2", openRequired: true)
        guard let responsibleDN = group.value(AttributeName.responsible) else {
            throw RuleViolation.constraint(.ruleGroupResponsibleRequired)
        }
        guard let responsible, try belongs(responsible, to: conventionName, layout: layout) else {
            throw RuleViolation.constraint(.ruleGroupResponsibleOutside, ["responsible": responsibleDN, "convention": convention.dn])
        }
        var level = 1
        if let parentDN = group.value(AttributeName.parentGroup) {
            guard let parent, try DistinguishedName(parent.dn).ancestor(1) == conventionName else {
                throw RuleViolation.constraint(.ruleGroupParentOutside, ["parent": parentDN])
            }
            guard try DistinguishedName(parentDN) != name else {
                throw RuleViolation.constraint(.ruleGroupOwnParent)
            }
            level = (parent.value(AttributeName.level).flatMap(Int.init) ?? 1) + 1
        }
        let granted = Set(try convention.values(AttributeName.grantedProfile).map { try DistinguishedName($0) })
        for role in group.values(AttributeName.role) {
            let profile = try DistinguishedName(role)
            guard case .profile = try DomainEntryKind(profile, layout: layout) else {
                throw RuleViolation.constraint(.ruleRoleNotAProfile, ["role": role, "services": layout.services])
            }
            guard granted.contains(profile) else {
                throw RuleViolation.constraint(.ruleRoleNotGranted, ["role": role, "convention": convention.dn])
            }
        }
        return level
    }

    /// R5: a membership names a user of the convention, by its identifier, with dates.
    public static func checkMembership(
        _ membership: EntrySnapshot, name: DistinguishedName, member: EntrySnapshot?, conventionName: DistinguishedName, layout: DirectoryLayout
    ) throws {
        guard let memberDN = membership.value(AttributeName.member) else {
            throw RuleViolation.constraint(.ruleMemberRequired)
        }
        guard let member, try belongs(member, to: conventionName, layout: layout) else {
            throw RuleViolation.constraint(.ruleMemberOutside, ["member": memberDN])
        }
        guard let uid = member.value("uid"), name.leafValue(AttributeName.memberUid) == uid.lowercased() else {
            throw RuleViolation.constraint(.ruleMembershipNamedByMember, ["identifier": member.value("uid") ?? "?"])
        }
        try checkDates(membership, rule: "R5", openRequired: true)
    }

    /// Shared or role mailboxes that R4 does not accept as a personal, nominative address.
    public static let sharedMailboxes: Set<String> = [
        "contact", "info", "infos", "accueil", "secretariat", "direction", "admin", "administration", "noreply",
        "no-reply", "service", "support", "courrier", "mairie", "ccas", "rh", "compta", "bureau", "equipe", "team",
    ]

    /// R4: names, a personal e-mail address, the work mode, dates.
    public static func checkUser(_ user: EntrySnapshot) throws {
        try FieldLengths.check(user, rule: "R4")
        guard let sn = user.value("sn"), !sn.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RuleViolation.constraint(.ruleLastNameRequired)
        }
        guard let givenName = user.value("givenName"), !givenName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RuleViolation.constraint(.ruleFirstNameRequired)
        }
        guard let mail = user.value("mail") else {
            throw RuleViolation.constraint(.ruleMailRequired)
        }
        try checkPersonalMail(mail)
        if let mode = user.value(AttributeName.workMode) { try checkWorkMode(mode) }
        for phone in user.values("telephoneNumber") { try checkTelephone(phone) }
        try checkDates(user, rule: "R4", openRequired: false)
    }

    /// R8: an administrator is chosen among the convention's users: every convention a person
    /// administers (`annAdministers`) is one of its own (`annConvention`), whoever writes it
    /// (the CLI's `administrator add` or a raw Modify by the operator).
    public static func checkAdministeredConventions(_ user: EntrySnapshot) throws {
        let own = Set(user.values(AttributeName.convention).compactMap { try? DistinguishedName($0) })
        for administered in user.values(AttributeName.administers) {
            guard let name = try? DistinguishedName(administered), own.contains(name) else {
                throw RuleViolation.constraint(.ruleAdministratorOutside, ["user": user.value("uid") ?? user.dn, "convention": administered])
            }
        }
    }

    /// R2: a group code is a short mnemonic (it is the RDN, unique in the convention).
    public static func checkGroupCode(_ code: String) throws {
        guard !code.isEmpty, code.count <= 16, code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw RuleViolation.constraint(.ruleGroupCode, ["code": code])
        }
    }

    /// R4: sedentary (a fixed workstation) or itinerant.
    public static func checkWorkMode(_ mode: String) throws {
        guard mode == "sedentary" || mode == "itinerant" else {
            throw RuleViolation.constraint(.ruleWorkMode, ["mode": mode])
        }
    }

    /// R4: a phone number: digits with the usual separators, at least 6 digits.
    public static func checkTelephone(_ phone: String) throws {
        let digits = phone.filter(\.isNumber)
        guard digits.count >= 6, phone.allSatisfy({ $0.isNumber || " .-+()".contains($0) }) else {
            throw RuleViolation.constraint(.rulePhone, ["phone": phone])
        }
    }

    /// R4: a personal nominative address, not a shared box.
    public static func checkPersonalMail(_ mail: String) throws {
        let parts = mail.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !mail.contains(" ") else {
            throw RuleViolation.constraint(.ruleMailNotAnAddress, ["mail": mail])
        }
        if sharedMailboxes.contains(parts[0].lowercased()) {
            throw RuleViolation.constraint(.ruleSharedMailbox, ["mail": mail])
        }
    }

    /// Whether a user entry belongs to a convention (its `annConvention`).
    public static func belongs(_ user: EntrySnapshot, to convention: DistinguishedName, layout: DirectoryLayout) throws -> Bool {
        guard case .user = try DomainEntryKind(try DistinguishedName(user.dn), layout: layout) else { return false }
        return try user.values(AttributeName.convention).contains { try DistinguishedName($0) == convention }
    }
}
