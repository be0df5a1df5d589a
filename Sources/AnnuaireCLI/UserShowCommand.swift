import ArgumentParser

/// `annuaire user show ID`: the portal's user detail.
struct UserShowCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a user: fields, groups and habilitations.",
        discussion: """
            Example: annuaire user show XXX0606XX11

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The user's identifier (or DN).")
    var identifier: String

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entry = try session.require(session.userDN(identifier), what: "user \(identifier)", attributes: UserRecords.attributes)
        context.print(RecordRenderer.detail(UserRecords.detail(entry, session: session), format: format))
    }
}
