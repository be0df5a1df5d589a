import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire administrator remove ID --convention N` (operator, R8).
struct AdministratorRemoveCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "remove",
        abstract: CLIContext.texts.text(.helpAdministratorRemove),
        discussion: """
            \(CLIContext.texts.text(.helpExample))
              annuaire administrator remove XXX0606XX07 --convention CONV-0606-001 \\
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
        let user = try session.require(dn, what: "user \(identifier)", attributes: ["annAdministers"])
        guard let stored = user.strings("annAdministers").first(where: { $0.caseInsensitiveEquals(conventionDN) }) else {
            throw CLIError.notFound(context.catalogue(.administratorNotAdministering, ("identifier", identifier), ("convention", LDAPText.leafValue(of: conventionDN))))
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: "annAdministers", strings: [stored])),
        ])
        context.print(context.catalogue(.administratorRemoved, ("identifier", identifier), ("convention", LDAPText.leafValue(of: conventionDN))))
    }
}
