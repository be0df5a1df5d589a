import ArgumentParser
import LDAPProtocol

/// `annuaire membership close ID --group CODE`: ends a membership (R5); the entry stays.
struct MembershipCloseCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "End a user's membership of a group (today by default).",
        discussion: """
            Example: annuaire membership close XXX0606XX11 --group T1B

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The user's identifier.")
    var identifier: String

    @Option(help: "The group (code or DN).")
    var group: String

    @Option(help: "The convention (number), when the group code exists in several.")
    var convention: String?

    @Option(help: "Close date (default today).")
    var date = "today"

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let groupDN = try session.groupDN(group, convention: convention)
        let dn = "annMemberUid=\(LDAPText.escapeRDNValue(identifier)),\(groupDN)"
        let closeDate = try DisplayDate.parse(date)
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: "annCloseDate", strings: [closeDate])),
        ])
        context.print("Closed the membership of \(identifier) in group \(LDAPText.leafValue(of: groupDN)) from \(DisplayDate.portal(closeDate)).")
    }
}
