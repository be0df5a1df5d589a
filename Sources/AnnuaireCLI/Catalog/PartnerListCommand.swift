import ArgumentParser
import Messages

/// `annuaire partner list`: "Mes organismes" (an administrator sees its own partner, R8).
struct PartnerListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpPartnerList),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire partner list

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entries = try session.client.search(base: session.partners, scope: .singleLevel, filter: "(objectClass=annPartner)", attributes: CatalogRecords.attributes)
        let records = entries.map {
            CatalogRecords.row($0, extra: [.init("type", "Type de partenaire", $0.string("annPartnerType").map(LDAPText.leafValue(of:)))])
        }.sorted { $0.fields[0].display < $1.fields[0].display }
        let empty: [Record.Field] = [.init("code", "Code", ""), .init("label", "Libellé", ""), .init("type", "Type de partenaire", "")]
        context.print(RecordRenderer.list(records, format: format, emptyFields: empty))
    }
}
