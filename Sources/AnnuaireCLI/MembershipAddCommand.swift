import ArgumentParser
import LDAPProtocol

/// `annuaire membership add ID --group CODE`: the portal's "Ajouter un utilisateur au groupe" (R5).
struct MembershipAddCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Attach a user to a group (R5), from an open date (default today).",
        discussion: """
            Example: annuaire membership add XXX0606XX11 --group T1B

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

    @Option(help: "Open date (default today).")
    var openDate: String?

    @Option(help: "Close date.")
    var closeDate: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        guard !identifier.contains("=") else { throw CLIError.usage("give the user's identifier (such as XXX0606XX11), not a DN") }
        let groupDN = try session.groupDN(group, convention: convention)
        try session.addMembership(
            identifier, to: groupDN, openDate: try openDate.map(DisplayDate.parse), closeDate: try closeDate.map(DisplayDate.parse))
        context.print("Attached \(identifier) to group \(LDAPText.leafValue(of: groupDN)).")
    }
}
