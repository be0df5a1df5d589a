import ArgumentParser
import Messages

/// `annuaire group show CODE`: a group's fields, habilitations (roles) and members.
struct GroupShowCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "show",
        abstract: CLIContext.texts.text(.helpGroupShow),
        discussion: """
            Example: annuaire group show T1

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

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
