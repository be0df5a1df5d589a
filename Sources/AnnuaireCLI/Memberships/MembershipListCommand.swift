import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire membership list`: memberships, by group or by user, with their dates and status.
struct MembershipListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpMembershipList),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire membership list --group T1
                     annuaire membership list --user XXX0606XX09

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionMembershipsOfGroup)))
    var group: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionMembershipsOfUser)))
    var user: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionWhenSeveral)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        var parts: [SearchFilter] = [.objectClass("annMembership")]
        if let user { parts.append(LDAPText.equals("annMemberUid", user)) }
        let base = try group.map { try session.groupDN($0, convention: convention) } ?? session.partners
        let entries = try session.client.search(base: base, scope: .wholeSubtree, filter: LDAPText.and(parts), attributes: MembershipRecords.attributes)
        let records = entries.map(MembershipRecords.row).sorted {
            ($0.fields[1].display, $0.fields[0].display) < ($1.fields[1].display, $1.fields[0].display)
        }
        if records.isEmpty, format == .table {
            let used = [("--group", group), ("--user", user)].compactMap { flag, value in value.map { "\(flag) \($0)" } }
            let reason = EmptyListReason.text(session, filters: used, catalogue: context.catalogue)
            context.errorOutput.write(context.catalogue.text(.emptyMemberships, ["reason": reason]) + "\n")
        }
        context.print(RecordRenderer.list(records, format: format, emptyFields: MembershipRecords.emptyFields))
    }
}
