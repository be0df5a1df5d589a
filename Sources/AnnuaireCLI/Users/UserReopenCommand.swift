import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire user reopen ID`: removes a user's close date.
struct UserReopenCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "reopen",
        abstract: CLIContext.texts.text(.helpUserReopen),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire user reopen XXX0606XX09

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserIdentifier)))
    var identifier: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.userDN(identifier)
        let before = try session.require(dn, what: identifier, attributes: UserRecords.attributes)
        guard before.string("annCloseDate") != nil else {
            throw CLIError(context.catalogue(.userNotClosed, ("identifier", identifier)), status: .ruleViolation)
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: "annCloseDate", values: [])),
        ])
        let entry = try session.require(dn, what: identifier, attributes: UserRecords.attributes)
        context.print(context.catalogue(.userReopened, ("identifier", identifier), ("status", DisplayStatus.label(DisplayStatus.of(entry)))))
    }
}
