import ArgumentParser
import Habilitations
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

    @OptionGroup var target: AdministratorTarget

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let (conventionDN, dn, administered) = try target.resolve(session)
        let values = ["identifier": target.identifier, "convention": target.conventionNumber(conventionDN)]
        guard let stored = administered.first(where: { $0.caseInsensitiveEquals(conventionDN) }) else {
            throw CLIError.notFound(context.catalogue.text(.administratorNotAdministering, values))
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: AttributeName.administers, strings: [stored])),
        ])
        context.print(context.catalogue.text(.administratorRemoved, values))
    }
}
