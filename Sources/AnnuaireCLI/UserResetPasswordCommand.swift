import ArgumentParser
import LDAPProtocol

/// `annuaire user reset-password ID`: R6, the server generates a temporary
/// password and mails it to the person; the administrator never sees it.
struct UserResetPasswordCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password",
        abstract: "Have a temporary password mailed to a user (R6); you never see it.",
        discussion: """
            The password is good for 24 hours and must be changed at the first login.

            Example: annuaire user reset-password XXX0606XX11

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The user's identifier (or DN).")
    var identifier: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.userDN(identifier)
        _ = try session.client.extended(name: PasswordModifyRequest.oid, value: PasswordModifyRequest(userIdentity: dn).encoded())
        context.print("A temporary password was mailed to user \(identifier); it must be changed within 24 hours.")
    }
}
