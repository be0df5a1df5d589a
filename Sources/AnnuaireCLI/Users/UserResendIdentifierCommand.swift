import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire user resend-identifier ID`: R9, "Renvoi de l'identifiant par mail".
struct UserResendIdentifierCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "resend-identifier",
        abstract: CLIContext.texts.text(.helpUserResendIdentifier),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire user resend-identifier XXX0606XX11

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    /// Annuaire's resend-identifier extended operation (README, "Habilitations").
    static let oid = "2.25.309896955993207786281445528786519232768.3.3"

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionIdentifier)))
    var identifier: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        _ = try session.client.extended(name: Self.oid, value: ForgotPasswordRequest(identifier: identifier).encoded())
        context.print(context.catalogue(.identifierMailedAgain, ("identifier", identifier)))
    }
}
