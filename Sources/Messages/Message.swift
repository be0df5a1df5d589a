/// The key of one user-facing text (issue #16, item 5). The texts are in
/// `FrenchTexts` and `EnglishTexts`; `{name}` marks a value filled in by
/// `Catalogue.text`. Refusals keep their rule id (R2…R11) in both languages.
public enum Message: String, Sendable, CaseIterable, Hashable {
    // MARK: CLI: commands' help
    case helpRoot
    case helpGroup
    case helpGroupCreate
    case helpGroupModify
    case helpGroupClose
    case helpGroupReopen
    case helpGroupList
    case helpGroupShow
    case helpUser
    case helpUserCreate
    case helpUserList
    case helpUserResendIdentifier
    case helpMembership
    case helpMembershipAdd
    case helpMembershipClose
    case helpMembershipModify
    case helpMembershipList
    case helpHistory
    case helpDashboard
    case helpRules
    case helpConvention
    case helpPartnerType
    case helpPartner
    case helpService
    case helpOperator
    case helpAdministrator
    case helpApplication
    case helpOptionOpenDate
    case helpOptionCloseDate
    case helpOptionGroup
    case helpOptionConvention
    case helpOptionIdentifier
    case helpOptionFormat
    case helpOptionLanguage
    case helpOptionTimeZone
    case helpOptionLabel
    case helpOptionResponsible
    case helpOptionParent
    case helpOptionAddRole
    case helpOptionRemoveRole
    case helpOptionGroupCode

    case helpCommonConnection
    case helpExitCodes

    case helpOptionCSVStyle

    // MARK: CLI: failures
    case errorPrefix
    case refused
    case accessRefused
    case notFound
    case authenticationFailed
    case serverUnavailable
    case serverAnswered
    case nothingToChange
    case conflictingOptions
    case notADate

    // MARK: CLI: confirmations
    case groupModified
    case groupClosed
    case groupReopened
    case membershipAttached
    case membershipReattached
    case membershipClosed
    case membershipModified

    case helpOptionNoCloseDate
    case groupNotClosed
    case userNotClosed
    case userClosed
    case userReopened

    case userCreated
    case groupCreated
    case groupCreatedWithResponsible

    // MARK: Statuses
    case statusOpen
    case statusClosed
    case statusPending
    case mailDisabled

    // MARK: History (R11)
    case historyActionAdd
    case historyActionModify
    case historyActionDelete
    case historyActionCreateUser
    case historyActionResetPassword
    case historyActionResendIdentifier
    case historyActionClose
    case historyActionReopen
    case historyActionReattach
    case historyActionChangePassword
    case historyActionPasswordRecovery
    case historyActionFirstPassword
    case historyHeaderTime
    case historyHeaderActor
    case historyHeaderAction
    case historyHeaderTarget
    case historyHeaderConventions
    case historyHeaderChanges

    // MARK: Server rules (new workflows of issue #16)
    case ruleMembershipStillOpen
    case ruleMembershipReopensClosedPeriod
    case ruleMembershipOpenDateStarted
    case ruleResendIdentifierClosedUser
    case ruleFieldTooLong
    case warningSamePerson
    case ruleMembershipMemberFixed
    case ruleMembershipPeriodsOverlap
    case ruleUsersAreClosed
    case ruleNotAConvention
    case ruleNewGroupName
    case ruleNewGroupParentOutside
    case ruleOpenDateNotADate
    case ruleCloseDateNotADate
    case ruleOpenDateRequired
    case ruleCloseBeforeOpen
    case ruleGroupNamedByCode
    case ruleGroupLabelRequired
    case ruleGroupResponsibleRequired
    case ruleGroupResponsibleOutside
    case ruleGroupParentOutside
    case ruleGroupOwnParent
    case ruleRoleNotAProfile
    case ruleRoleNotGranted
    case ruleMemberRequired
    case ruleMemberOutside
    case ruleMembershipNamedByMember
    case ruleLastNameRequired
    case ruleFirstNameRequired
    case ruleMailRequired
    case ruleGroupCode
    case ruleWorkMode
    case rulePhone
    case ruleMailNotAnAddress
    case ruleSharedMailbox
    case ruleMailsDiffer
    case rulePhonesDiffer
    case ruleWorkModeRequired
    case ruleHabilitationGroupOutside
    case ruleAdministratorOutside

    // MARK: Empty lists
    case emptyUsers
    case emptyGroups
    case emptyMemberships
    case emptyHistory

    // MARK: Help desk (item 7)
    case helpDeskTitle
    case helpDeskLine
}
