import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire membership modify ID --group CODE`: a membership's dates (R5).
/// The open date changes while the membership is pending; the close date
/// can be moved or removed until the period has ended (the server refuses
/// the rest, R5).
struct MembershipModifyCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "modify",
            abstract: CLIContext.texts.text(.helpMembershipModify),
            discussion: """
                annuaire membership modify XXX0606XX11 --group T1B --open-date 15/09/2026
                annuaire membership modify XXX0606XX11 --group T1B --no-close-date

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionIdentifier)))
    var identifier: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGroup)))
    var group: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConvention)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOpenDate)))
    var openDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate: String?

    @Flag(help: ArgumentHelp(CLIContext.texts.text(.helpOptionNoCloseDate)))
    var noCloseDate = false

    func validate() throws {
        if openDate == nil && closeDate == nil && !noCloseDate { throw ValidationError(CLIContext.texts.text(.nothingToChange)) }
        if closeDate != nil && noCloseDate { throw ValidationError(CLIContext.texts(.conflictingOptions, ("a", "--close-date"), ("b", "--no-close-date"))) }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let groupDN = try session.groupDN(group, convention: convention)
        let dn = "annMemberUid=\(LDAPText.escapeRDNValue(identifier)),\(groupDN)"
        var changes: [ModifyRequest.Change] = []
        if let openDate {
            changes.append(.init(operation: .replace, modification: PartialAttribute(type: "annOpenDate", strings: [try DisplayDate.parse(openDate)])))
        }
        if let closeDate {
            changes.append(.init(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [try DisplayDate.parse(closeDate)])))
        }
        if noCloseDate {
            // Replace with no value: removes the close date, and is no error when there is none (RFC 4511 §4.6).
            changes.append(.init(operation: .replace, modification: PartialAttribute(type: "annCloseDate", values: [])))
        }
        try session.client.modify(dn: dn, changes: changes)
        context.print(context.catalogue(.membershipModified, ("identifier", identifier), ("group", LDAPText.leafValue(of: groupDN))))
    }
}
