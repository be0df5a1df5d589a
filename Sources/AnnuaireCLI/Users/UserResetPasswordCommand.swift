import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire user reset-password ID`: R6, the server generates a temporary
/// password and mails it to the person; the administrator never sees it.
struct UserResetPasswordCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "reset-password",
        abstract: CLIContext.texts.text(.helpUserResetPassword),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussUserResetPassword))

            \(CLIContext.texts.text(.helpExample)) annuaire user reset-password XXX0606XX11

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserIdentifier)))
    var identifier: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.userDN(identifier)
        _ = try session.client.extended(name: PasswordModifyRequest.oid, value: PasswordModifyRequest(userIdentity: dn).encoded())
        context.print(context.catalogue(.temporaryPasswordMailed, ("identifier", identifier)))
    }
}
