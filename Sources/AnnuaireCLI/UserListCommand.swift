import ArgumentParser

/// `annuaire user list`: the portal's user list and its filters (identifier,
/// last name, first name, group).
struct UserListCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List users, with the portal's filters.",
        discussion: """
            Columns: Identifiant, Nom, Prénom, Adresse mail, Téléphone, Date d'ouverture, Date de clôture, Statut; \
            a closed user shows "Désactivé" and "Clôturé" in the table (json/csv keep the plain values). \
            Text filters match the beginning of the field.

            Example: annuaire user list --group T1
                     annuaire user list --last-name DUP --format json

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var filters: UserFilterOptions

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let records = try filters.search(session, attributes: UserRecords.attributes).map(UserRecords.row)
        context.print(RecordRenderer.list(records, format: format, emptyFields: UserRecords.emptyFields))
    }
}
