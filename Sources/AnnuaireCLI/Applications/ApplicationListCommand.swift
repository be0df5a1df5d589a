import ArgumentParser
import Messages

/// `annuaire application list`: the application accounts and their services.
struct ApplicationListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpApplicationList),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire application list -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entries = try session.client.search(
            base: ApplicationRecords.container(session), scope: .singleLevel,
            filter: "(objectClass=annServiceAccount)", attributes: ApplicationRecords.attributes)
        let records = entries.map(ApplicationRecords.row).sorted { $0.fields[0].display < $1.fields[0].display }
        context.print(RecordRenderer.list(records, format: format, emptyFields: ApplicationRecords.emptyFields))
    }
}
