import ArgumentParser
import Messages

/// `annuaire convention show NUMBER`: a convention, its granted profiles and its groups.
struct ConventionShowCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "show",
        abstract: CLIContext.texts.text(.helpConventionShow),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire convention show CONV-0606-001

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionNumber)))
    var number: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.convention(number)
        let entry = try session.require(dn, what: number, attributes: ConventionRecords.attributes)
        let groups = try session.client.search(base: dn, scope: .singleLevel, filter: "(objectClass=annGroup)", attributes: ["cn"])
        var record = ConventionRecords.row(entry, session: session)
        record.fields += [
            .init("groups", "Groupes", list: groups.compactMap { $0.string("cn") }.sorted()),
            .init("dn", "DN", entry.objectName),
        ]
        context.print(RecordRenderer.detail(record, format: format))
    }
}
