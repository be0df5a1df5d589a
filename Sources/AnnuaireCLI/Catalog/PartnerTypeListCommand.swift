import ArgumentParser
import Messages
import Habilitations

/// `annuaire partner-type list`: "Les types de partenaires".
struct PartnerTypeListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpPartnerTypeList),
        discussion: """
            \(CLIContext.texts.text(.helpExample))
              annuaire partner-type list \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entries = try session.client.search(
            base: session.layout.partnerTypes, scope: .singleLevel, filter: "(objectClass=annPartnerType)", attributes: CatalogRecords.attributes)
        let records = entries.map { CatalogRecords.row($0) }.sorted { $0.fields[0].display < $1.fields[0].display }
        context.print(RecordRenderer.list(records, format: format, emptyFields: [.init("code", "Code", ""), .init("label", "Libellé", "")]))
    }
}
