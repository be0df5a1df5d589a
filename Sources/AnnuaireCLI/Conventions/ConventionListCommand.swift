import ArgumentParser
import Messages

/// `annuaire convention list`: the portal's "Mes conventions".
struct ConventionListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpConventionList),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire convention list

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyPartnerConventions)))
    var partner: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let base = partner.map { "cn=\(LDAPText.escapeRDNValue($0)),\(session.partners)" } ?? session.partners
        let entries = try session.client.search(
            base: base, scope: .wholeSubtree, filter: "(objectClass=annConvention)", attributes: ConventionRecords.attributes)
        let records = entries.map { ConventionRecords.row($0, session: session) }
            .sorted { ($0.fields[1].display, $0.fields[0].display) < ($1.fields[1].display, $1.fields[0].display) }
        context.print(RecordRenderer.list(records, format: format, emptyFields: ConventionRecords.emptyFields(session)))
    }
}
