import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire user reopen ID`: removes a user's close date.
struct UserReopenCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Reopen a closed user: remove its close date.",
        discussion: """
            Example: annuaire user reopen XXX0606XX09

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The user's identifier (or DN).")
    var identifier: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.userDN(identifier)
        let before = try session.require(dn, what: "user \(identifier)", attributes: UserRecords.attributes)
        guard before.string("annCloseDate") != nil else {
            throw CLIError(context.catalogue(.userNotClosed, ("identifier", identifier)), status: .ruleViolation)
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: "annCloseDate", values: [])),
        ])
        let entry = try session.require(dn, what: "user \(identifier)", attributes: UserRecords.attributes)
        context.print(context.catalogue(.userReopened, ("identifier", identifier), ("status", UserRecords.statusLabel(entry.string("annStatus") ?? ""))))
    }
}
