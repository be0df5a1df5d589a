import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire user export`: the users you may see as the CSV that
/// `user import` reads (R4 fields, effective groups, dates, status).
struct UserExportCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "export",
        abstract: CLIContext.texts.text(.helpUserExport),
        discussion: """
            \(CLIContext.texts(.helpDiscussUserExport, ("columns", UserCSVFormat.exportKeys.joined(separator: ","))))

            \(CLIContext.texts.text(.helpExample)) annuaire user export --group T1 > t1-users.csv

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var filters: UserFilterOptions

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entries = try filters.search(session, attributes: UserRecords.attributes).entries
        let records = entries.map { entry in
            Record(fields: [
                .init("identifier", "", entry.string("uid")),
                .init("lastName", "", entry.string("sn")),
                .init("firstName", "", entry.string("givenName")),
                .init("mail", "", entry.string("mail")),
                .init("telephone", "", entry.string("telephoneNumber")),
                .init("workMode", "", entry.string("annWorkMode")),
                .init("group", "", list: entry.strings("memberOf").map(LDAPText.leafValue(of:)).sorted()),
                .init("openDate", "", DisplayDate.iso(entry.string("annOpenDate"))),
                .init("closeDate", "", DisplayDate.iso(entry.string("annCloseDate"))),
                .init("convention", "", entry.string("annConvention").map(LDAPText.leafValue(of:))),
                .init("status", "", entry.string("annStatus")),
            ])
        }
        let empty = UserCSVFormat.exportKeys.map { Record.Field($0, UserCSVFormat.frenchHeaders[$0] ?? $0, "") }
        let headed = records.map { record in
            Record(fields: record.fields.map { field in
                var field = field
                field.header = UserCSVFormat.frenchHeaders[field.key] ?? field.key
                return field
            }, entry: record.entry)
        }
        context.output.write(RecordRenderer.list(headed, format: .csv, emptyFields: empty))
    }
}
