import ArgumentParser

/// `annuaire application list`: the application accounts and their services.
struct ApplicationListCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the application accounts and the services each one serves.",
        discussion: """
            Example: annuaire application list -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entries = try session.client.search(
            base: ApplicationRecords.container(session), scope: .singleLevel,
            filter: "(objectClass=annServiceAccount)", attributes: ApplicationRecords.attributes)
        let records = entries.map(ApplicationRecords.row).sorted { $0.fields[0].display < $1.fields[0].display }
        context.print(RecordRenderer.list(records, format: format, emptyFields: ApplicationRecords.emptyFields))
    }
}
