import ArgumentParser
import Messages
import LDAPProtocol
import Habilitations

/// `annuaire operator list`: "Mes utilisateurs internes".
struct OperatorListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpOperatorList),
        discussion: """
            \(CLIContext.texts.text(.helpExample))
              annuaire operator list \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entries = try session.client.search(
            base: session.layout.operators, scope: .singleLevel, filter: "(objectClass=annOperator)", attributes: ["uid", "sn", "givenName", "cn", "mail"])
        func row(_ entry: SearchResultEntry) -> Record {
            Record(fields: [
                .init("identifier", "Identifiant", entry.string("uid")),
                .init("lastName", "Nom", entry.string("sn")),
                .init("firstName", "Prénom", entry.string("givenName")),
                .init("mail", "Adresse mail", entry.string("mail")),
            ], entry: entry)
        }
        let records = entries.map(row).sorted { $0.fields[0].display < $1.fields[0].display }
        context.print(RecordRenderer.list(records, format: format, emptyFields: [
            .init("identifier", "Identifiant", ""), .init("lastName", "Nom", ""), .init("firstName", "Prénom", ""), .init("mail", "Adresse mail", ""),
        ]))
    }
}
