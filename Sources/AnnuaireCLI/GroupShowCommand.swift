import ArgumentParser

/// `annuaire group show CODE`: a group's fields, habilitations (roles) and members.
struct GroupShowCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a group, its habilitations (roles) and its effective members.",
        discussion: """
            Example: annuaire group show T1

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The group code (or DN).")
    var code: String

    @Option(help: "The convention (number), when the code exists in several.")
    var convention: String?

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.groupDN(code, convention: convention)
        let entry = try session.require(dn, what: "group \(code)", attributes: GroupRecords.attributes)
        context.print(RecordRenderer.detail(GroupRecords.detail(entry, session: session), format: format))
    }
}
