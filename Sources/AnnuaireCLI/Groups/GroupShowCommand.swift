import ArgumentParser
import Messages

/// `annuaire group show CODE`: a group's fields, habilitations (roles) and members.
struct GroupShowCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "show",
        abstract: CLIContext.texts.text(.helpGroupShow),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire group show T1

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGroupCodeOrDN)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConvention)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.groupDN(code, convention: convention)
        let entry = try session.require(dn, what: code, attributes: GroupRecords.attributes)
        context.print(RecordRenderer.detail(GroupRecords.detail(entry, session: session), format: format))
    }
}
