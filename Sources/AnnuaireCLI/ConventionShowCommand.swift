import ArgumentParser

/// `annuaire convention show NUMBER`: a convention, its granted profiles and its groups.
struct ConventionShowCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a convention: granted profiles and groups.",
        discussion: """
            Example: annuaire convention show CONV-0606-001

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The convention number (or DN).")
    var number: String

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.convention(number)
        let entry = try session.require(dn, what: "convention \(number)", attributes: ConventionRecords.attributes)
        let groups = try session.client.search(base: dn, scope: .singleLevel, filter: "(objectClass=annGroup)", attributes: ["cn"])
        var record = ConventionRecords.row(entry, session: session)
        record.fields += [
            .init("groups", "Groupes", list: groups.compactMap { $0.string("cn") }.sorted()),
            .init("dn", "DN", entry.objectName),
        ]
        context.print(RecordRenderer.detail(record, format: format))
    }
}
