import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire user close ID`: R7, closing sets the close date; the entry and
/// its history stay, the status becomes "Clôturé" and binds are refused.
struct UserCloseCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "close",
        abstract: CLIContext.texts.text(.helpUserClose),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire user close XXX0606XX11
                     annuaire user close XXX0606XX11 --close-date 31/12/2026

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserIdentifier)))
    var identifier: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate = "today"

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.userDN(identifier)
        let closeDate = try DisplayDate.parse(self.closeDate)
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [closeDate])),
        ])
        let entry = try session.require(dn, what: identifier, attributes: UserRecords.attributes)
        let status = DisplayStatus.of(entry)
        context.print(context.catalogue(
            .userClosed, ("identifier", identifier), ("date", DisplayDate.portal(closeDate)), ("status", DisplayStatus.label(status))))
    }
}
