import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire group list`: the portal's group list, with its filters (code, label, user).
struct GroupListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpGroupList),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire group list --user XXX0606XX11 --format csv

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCodeFilter)))
    var code: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLabelFilter)))
    var label: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserFilter)))
    var user: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyConventionGroups)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        var parts: [SearchFilter] = [.objectClass("annGroup")]
        if let code { parts.append(LDAPText.startsWith("cn", code)) }
        if let label { parts.append(LDAPText.startsWith("annLabel", label)) }
        if let user { parts.append(LDAPText.equals("member", session.userDN(user))) }
        let base = try convention.map { try session.convention($0) } ?? session.partners
        let entries = try session.client.search(base: base, scope: .wholeSubtree, filter: LDAPText.and(parts), attributes: GroupRecords.attributes)
        let records = entries.map { GroupRecords.row($0, session: session) }
            .sorted { ($0.fields[3].display, $0.fields[0].display) < ($1.fields[3].display, $1.fields[0].display) }
        if records.isEmpty, format == .table {
            let used = [("--code", code), ("--label", label), ("--user", user), ("--convention", convention)].compactMap { flag, value in
                value.map { "\(flag) \($0)" }
            }
            let reason = EmptyListReason.text(session, filters: used, catalogue: context.catalogue)
            context.errorOutput.write(context.catalogue.text(.emptyGroups, ["reason": reason]) + "\n")
        }
        context.print(RecordRenderer.list(records, format: format, emptyFields: GroupRecords.emptyFields(session)))
    }
}
