import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire membership close ID --group CODE`: ends a membership (R5) today
/// or on a future date; the entry stays. A period already closed is never
/// reopened by a later date (the server refuses it, R5).
struct MembershipCloseCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "close",
            abstract: CLIContext.texts.text(.helpMembershipClose),
            discussion: """
                annuaire membership close XXX0606XX11 --group T1B
                annuaire membership close XXX0606XX11 --group T1B --close-date 31/12/2026

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

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate = "today"

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let groupDN = try session.groupDN(group, convention: convention)
        let dn = "annMemberUid=\(LDAPText.escapeRDNValue(identifier)),\(groupDN)"
        let date = try DisplayDate.parse(closeDate)
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [date])),
        ])
        context.print(context.catalogue(
            .membershipClosed, ("identifier", identifier), ("group", LDAPText.leafValue(of: groupDN)), ("date", DisplayDate.portal(date))))
    }
}
