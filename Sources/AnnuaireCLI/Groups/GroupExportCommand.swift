import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire group export`: the groups you may see as the CSV that `group import` reads (R2, R3).
struct GroupExportCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "export",
        abstract: CLIContext.texts.text(.helpGroupExport),
        discussion: """
            \(CLIContext.texts(.helpDiscussGroupExport, ("columns", GroupCSVFormat.exportKeys.joined(separator: ","))))

            \(CLIContext.texts.text(.helpExample)) annuaire group export > groups.csv

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyConventionGroups)))
    var convention: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let base = try convention.map { try session.convention($0) } ?? session.partners
        let entries = try session.client.search(base: base, scope: .wholeSubtree, filter: "(objectClass=annGroup)", attributes: GroupRecords.attributes)
        // Parents before their sub-groups, so that the file imports as it is.
        let sorted = entries.sorted {
            (Int($0.string("annLevel") ?? "") ?? 1, LDAPText.parent(of: $0.objectName), $0.string("cn") ?? "")
                < (Int($1.string("annLevel") ?? "") ?? 1, LDAPText.parent(of: $1.objectName), $1.string("cn") ?? "")
        }
        let records = sorted.map { entry in
            Record(fields: [
                .init("code", "", entry.string("cn")),
                .init("label", "", entry.string("annLabel")),
                .init("responsible", "", entry.string("annResponsible").map(LDAPText.leafValue(of:))),
                .init("roles", "", list: entry.strings("annRole").map(session.roleName)),
                .init("parent", "", entry.string("annParentGroup").map(LDAPText.leafValue(of:))),
                .init("openDate", "", DisplayDate.iso(entry.string("annOpenDate"))),
                .init("closeDate", "", DisplayDate.iso(entry.string("annCloseDate"))),
                .init("convention", "", LDAPText.leafValue(of: LDAPText.parent(of: entry.objectName))),
                .init("status", "", entry.string("annStatus")),
            ])
        }
        let empty = GroupCSVFormat.exportKeys.map { Record.Field($0, GroupCSVFormat.frenchHeaders[$0] ?? $0, "") }
        let headed = records.map { record in
            Record(fields: record.fields.map { field in
                var field = field
                field.header = GroupCSVFormat.frenchHeaders[field.key] ?? field.key
                return field
            }, entry: record.entry)
        }
        context.output.write(RecordRenderer.list(headed, format: .csv, emptyFields: empty))
    }
}
