import ArgumentParser
import Messages

/// `annuaire user show ID`: the portal's user detail.
struct UserShowCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "show",
        abstract: CLIContext.texts.text(.helpUserShow),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire user show XXX0606XX11

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserIdentifier)))
    var identifier: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entry = try session.require(session.userDN(identifier), what: identifier, attributes: UserRecords.attributes)
        context.print(RecordRenderer.detail(UserRecords.detail(entry, session: session), format: format))
    }
}
