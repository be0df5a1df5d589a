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

    @Option(help: "Identifier starts with.")
    var identifier: String?

    @Option(help: "Last name starts with.")
    var lastName: String?

    @Option(help: "First name starts with.")
    var firstName: String?

    @Option(help: "Effective members of this group (code or DN).")
    var group: String?

    @Option(help: "The convention (number), when the group code exists in several.")
    var convention: String?

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        var parts = ["(objectClass=annUser)"]
        if let identifier { parts.append(LDAPText.startsWith("uid", identifier)) }
        if let lastName { parts.append(LDAPText.startsWith("sn", lastName)) }
        if let firstName { parts.append(LDAPText.startsWith("givenName", firstName)) }
        if let group { parts.append(LDAPText.equals("memberOf", try session.groupDN(group, convention: convention))) }
        let entries = try session.client.search(
            base: session.people, scope: .singleLevel, filter: LDAPText.and(parts), attributes: UserRecords.attributes)
        let records = entries.map(UserRecords.row).sorted { $0.fields[0].display < $1.fields[0].display }
        context.print(RecordRenderer.list(records, format: format, emptyFields: UserRecords.emptyFields))
    }
}
