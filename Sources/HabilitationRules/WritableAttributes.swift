import LDAPProtocol

/// R8 for attributes: what each role may set, as allow-lists on attribute types
/// (canonical names, compared without case or options). A type that is not
/// listed is refused, whatever it is called: rights (`annAdministers`,
/// `annServiceScope`, `annConvention`), object classes, POSIX identities, the
/// derived state (R5) and the password policy's state are on no list but the
/// operator's, and the derived state and the password policy's state on none.
public enum WritableAttributes {
    /// What a person changes on its own entry (its password goes through Password Modify).
    public static let selfService: Set<String> = ["telephonenumber", "mobile", "displayname", "preferredlanguage"]

    /// What a partner administrator, or a group's responsible within the groups it manages,
    /// changes on a person: contact and civil details, its work mode and its dates (R4, R7).
    public static let person: Set<String> = selfService.union([
        "cn", "sn", "givenname", "initials", "mail", "title", "description", "facsimiletelephonenumber",
        "postaladdress", "street", "l", "postalcode", "employeenumber", "employeetype", "departmentnumber",
        "roomnumber", AttributeName.workMode.lowercased(), AttributeName.openDate.lowercased(), AttributeName.closeDate.lowercased(),
    ])

    /// A person's validity (R7): how long the rights it carries last.
    public static let validity: Set<String> = [AttributeName.openDate.lowercased(), AttributeName.closeDate.lowercased()]

    /// What a partner administrator or a group's responsible sets on a group (R2, R3 checked with the group).
    public static let group: Set<String> = [
        "objectclass", "cn", AttributeName.label.lowercased(), "description", AttributeName.openDate.lowercased(), AttributeName.closeDate.lowercased(), AttributeName.responsible.lowercased(), AttributeName.parentGroup.lowercased(), AttributeName.role.lowercased(),
    ]

    /// What a partner administrator or a group's responsible sets on a membership (R5).
    public static let membership: Set<String> = ["objectclass", AttributeName.memberUid.lowercased(), AttributeName.member.lowercased(), AttributeName.openDate.lowercased(), AttributeName.closeDate.lowercased()]

    /// The password policy's state: slapd keeps it, nobody writes it through the front-end
    /// (`pwdStartTime`/`pwdEndTime` are derived from a person's dates, R7).
    public static let passwordPolicyState: Set<String> = [
        "pwdhistory", "pwdchangedtime", "pwdaccountlockedtime", "pwdfailuretime", "pwdgraceusetime", "pwdreset",
        "pwdpolicysubentry", "pwdstarttime", "pwdendtime", "pwdlastsuccess",
    ]

    /// The type of an attribute description, lower-cased, without options (RFC 4512 §2.5).
    public static func baseType(_ description: String) -> String {
        description.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.lowercased() } ?? ""
    }

    /// The allow-list for a role's change of an entry of `kind`; nil: anything but the password
    /// policy's state and the derived values (the operator).
    public static func allowed(for principal: Principal, on kind: DomainEntryKind, own: Bool) -> Set<String>? {
        if principal.isOperator { return nil }
        switch kind {
        case .group: return group
        case .membership: return membership
        case .user where own:
            // Its own entry: a person's self-service (a group's responsible's too: its account is not its to
            // manage); a partner administrator also its contact details, never its dates.
            switch principal.role {
            case .partnerAdministrator: return person.subtracting(validity)
            case .serviceAccount: return []
            default: return selfService
            }
        case .user:
            if case .person = principal.role { return [] }
            if case .serviceAccount = principal.role { return [] }
            return person
        default:
            return []
        }
    }

    /// Refuses a change naming a type the principal may not set (R8), naming the type.
    public static func check(_ types: some Sequence<String>, kind: DomainEntryKind, principal: Principal, own: Bool, creating: Bool) throws {
        let types = Set(types.map(baseType))
        if let type = types.sorted().first(where: { passwordPolicyState.contains($0) }) {
            throw RuleViolation.delegation(.r8PolicyState, ["type": type])
        }
        if types.contains("userpassword") && !(creating && principal.isOperator) {
            if creating {
                throw RuleViolation.delegation(.r8OnlyOperatorGivesPassword)
            }
            throw LDAPOperationError(.unwillingToPerform, RuleViolation.text(.passwordNotByModify))
        }
        if !creating, !principal.isOperator, types.contains("objectclass") {
            throw RuleViolation.delegation(.r8OnlyOperatorObjectClass)
        }
        guard let allowed = allowed(for: principal, on: kind, own: own) else { return }
        guard let refused = types.sorted().first(where: { !allowed.contains($0) }) else { return }
        if own, case .user = kind {
            if case .partnerAdministrator = principal.role, validity.contains(refused) {
                throw RuleViolation.delegation(.r8OwnValidity, ["type": refused])
            }
            throw RuleViolation.delegation(.r8SelfServiceOnly, ["attributes": allowed.sorted().joined(separator: ", "), "type": refused])
        }
        if allowed.isEmpty {
            throw RuleViolation.delegation(.r8MayNotChange, ["type": refused])
        }
        throw RuleViolation.delegation(.r8OperatorSetsHere, ["type": refused, "attributes": allowed.subtracting(["objectclass"]).sorted().joined(separator: ", ")])
    }
}
