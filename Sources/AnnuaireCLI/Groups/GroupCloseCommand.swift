import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire group close CODE`: R7 for a group — its close date is set
/// (today by default); from then on its memberships stop counting, the
/// server derives the members' `memberOf` and habilitations again, and the
/// group, its memberships and their history stay.
struct GroupCloseCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "close",
            abstract: CLIContext.texts.text(.helpGroupClose),
            discussion: """
                annuaire group close T1B
                annuaire group close T1B --close-date 31/12/2026

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGroupCode)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConvention)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate = "today"

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.groupDN(code, convention: convention)
        let date = try DisplayDate.parse(closeDate)
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [date])),
        ])
        context.print(context.catalogue(.groupClosed, ("code", LDAPText.leafValue(of: dn)), ("date", DisplayDate.portal(date))))
    }
}
