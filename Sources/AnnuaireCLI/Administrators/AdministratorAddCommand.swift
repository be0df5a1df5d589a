import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire administrator add ID --convention N`: the user becomes an
/// administrator of the convention (R8; the user must be one of its users).
struct AdministratorAddCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "add",
        abstract: CLIContext.texts.text(.helpAdministratorAdd),
        discussion: """
            \(CLIContext.texts.text(.helpExampleAdministratorAdd))
              annuaire administrator add XXX0606XX07 --convention CONV-0606-001 \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserIdentifier)))
    var identifier: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionNumber)))
    var convention: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let conventionDN = try session.convention(convention)
        let dn = session.userDN(identifier)
        // R8 "an administrator is chosen among the convention's users" is the server's to enforce
        // (DomainRules.checkAdministeredConventions): its refusal (19) exits 65 with its words.
        let user = try session.require(dn, what: "user \(identifier)", attributes: ["annAdministers"])
        if user.strings("annAdministers").contains(where: { $0.caseInsensitiveEquals(conventionDN) }) {
            context.print(context.catalogue(.administratorAlready, ("identifier", identifier), ("convention", LDAPText.leafValue(of: conventionDN))))
            return
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .add, modification: PartialAttribute(type: "annAdministers", strings: [conventionDN])),
        ])
        context.print(context.catalogue(.administratorAdded, ("identifier", identifier), ("convention", LDAPText.leafValue(of: conventionDN))))
    }
}
