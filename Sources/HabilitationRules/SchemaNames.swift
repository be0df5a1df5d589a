/// The attribute types of Annuaire's schema (`Schema/annuaire.ldif`), by the
/// names the schema gives them: the rules (R1–R11) read and write them through
/// these constants, never through string literals, so a typo does not compile
/// and `SchemaNamesTests` checks every one against the schema file.
public enum AttributeName {
    /// R2, R3: a group's or profile's label.
    public static let label = "annLabel"
    /// R2, R4, R5, R7: the day an entry opens (inclusive).
    public static let openDate = "annOpenDate"
    /// R2, R4, R5, R7: the day an entry closes (exclusive).
    public static let closeDate = "annCloseDate"
    /// R7: derived status, one of `EntryStatus`.
    public static let status = "annStatus"
    public static let partnerType = "annPartnerType"
    /// R3: the profiles a convention grants.
    public static let grantedProfile = "annGrantedProfile"
    /// R3: the profiles a group gives its members.
    public static let role = "annRole"
    /// R2: a group's responsible (a user of its convention).
    public static let responsible = "annResponsible"
    public static let parentGroup = "annParentGroup"
    /// R2: derived depth of a group.
    public static let level = "annLevel"
    /// R5: the membership's RDN value, the member's identifier.
    public static let memberUid = "annMemberUid"
    /// R5: the membership's person.
    public static let member = "annMember"
    /// R4: sedentary or itinerant.
    public static let workMode = "annWorkMode"
    /// R4: the conventions a user belongs to.
    public static let convention = "annConvention"
    /// R8: the conventions a person administers (among its own, `DomainRules.checkAdministeredConventions`).
    public static let administers = "annAdministers"
    /// R8: an application account's service scope.
    public static let serviceScope = "annServiceScope"
    public static let identifierPattern = "annIdentifierPattern"
    /// R4: the identifier counter (generated, never reused).
    public static let identifierCounter = "annIdentifierCounter"
    /// R1, R5: derived profiles a user holds.
    public static let habilitation = "annHabilitation"
    /// R11: history events.
    public static let eventId = "annEventId"
    public static let actor = "annActor"
    public static let action = "annAction"
    public static let target = "annTarget"
    public static let time = "annTime"
    public static let revision = "annRevision"
    public static let change = "annChange"
    public static let concerns = "annConcerns"
    /// R8: derived, the groups a responsible manages.
    public static let manages = "annManages"
    /// R6: password recovery.
    public static let recoveryTokenHash = "annRecoveryTokenHash"
    public static let recoveryExpiry = "annRecoveryExpiry"

    /// Every name above, for the check against the schema file.
    public static let all: [String] = [
        label, openDate, closeDate, status, partnerType, grantedProfile, role, responsible, parentGroup, level, memberUid, member,
        workMode, convention, administers, serviceScope, identifierPattern, identifierCounter, habilitation, eventId, actor, action,
        target, time, revision, change, concerns, manages, recoveryTokenHash, recoveryExpiry,
    ]
}

/// The object classes of Annuaire's schema (`Schema/annuaire.ldif`): what kind
/// of entry the rules are looking at (`DomainEntryKind` places them by DN).
public enum ObjectClassName {
    public static let partnerType = "annPartnerType"
    public static let partner = "annPartner"
    public static let convention = "annConvention"
    public static let service = "annService"
    public static let profile = "annProfile"
    public static let group = "annGroup"
    public static let membership = "annMembership"
    /// R4: the auxiliary class every partner user carries.
    public static let user = "annUser"
    public static let `operator` = "annOperator"
    public static let serviceAccount = "annServiceAccount"
    public static let counter = "annCounter"
    public static let event = "annEvent"

    public static let all: [String] = [
        partnerType, partner, convention, service, profile, group, membership, user, `operator`, serviceAccount, counter, event,
    ]
}
