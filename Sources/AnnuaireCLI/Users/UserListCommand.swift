import ArgumentParser
import Habilitations
import Messages

/// `annuaire user list`: the portal's user list and its filters (identifier,
/// last name, first name, group).
struct UserListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpUserList),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussUserList))

            \(CLIContext.texts.text(.helpExample)) annuaire user list --group T1
                     annuaire user list --last-name DUP --format json

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var filters: UserFilterOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let (entries, pending) = try filters.search(session, attributes: UserRecords.attributes)
        let catalogue = context.catalogue
        let records = entries.map { entry in
            var record = UserRecords.row(entry)
            if filters.group != nil {
                // R5: a membership that has not started yet is listed, marked as such.
                let waiting = pending.contains((entry.string("uid") ?? "").lowercased())
                record.fields.append(.init(
                    "membership", catalogue.text(.headerMembership), (waiting ? EntryStatus.pending : EntryStatus.open).rawValue,
                    display: catalogue.text(waiting ? .statusPending : .statusOpen)))
            }
            return record
        }
        if records.isEmpty, format == .table {
            context.errorOutput.write(catalogue.text(.emptyUsers, ["reason": filters.emptyReason(session, catalogue: catalogue)]) + "\n")
        }
        var empty = UserRecords.emptyFields
        if filters.group != nil { empty.append(.init("membership", catalogue.text(.headerMembership), "")) }
        context.print(RecordRenderer.list(records, format: format, emptyFields: empty))
    }
}
