import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire administrator list`: who administers which convention (R8).
struct AdministratorListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpAdministratorList),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire administrator list --convention CONV-0606-001

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyConventionAdministrators)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let filter = try convention.map { SearchFilter.equals("annAdministers", try session.convention($0)) } ?? .present("annAdministers")
        let entries = try session.client.search(base: session.people, scope: .singleLevel, filter: filter, attributes: ["uid", "sn", "givenName", "mail", "annAdministers"])
        func row(_ entry: SearchResultEntry) -> Record {
            Record(fields: [
                .init("identifier", "Identifiant", entry.string("uid")),
                .init("lastName", "Nom", entry.string("sn")),
                .init("firstName", "Prénom", entry.string("givenName")),
                .init("mail", "Adresse mail", entry.string("mail")),
                .init("conventions", "Conventions administrées", list: entry.strings("annAdministers").map(LDAPText.leafValue(of:)).sorted()),
            ], entry: entry)
        }
        let records = entries.map(row).sorted { $0.fields[0].display < $1.fields[0].display }
        context.print(RecordRenderer.list(records, format: format, emptyFields: row(SearchResultEntry(objectName: "", attributes: [])).fields))
    }
}
