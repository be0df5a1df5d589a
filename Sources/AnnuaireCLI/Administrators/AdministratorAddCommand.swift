import ArgumentParser
import Habilitations
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

    @OptionGroup var target: AdministratorTarget

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        // R8 "an administrator is chosen among the convention's users" is the server's to enforce
        // (DomainRules.checkAdministeredConventions): its refusal (19) exits 65 with its words.
        let (conventionDN, dn, administered) = try target.resolve(session)
        let values = ["identifier": target.identifier, "convention": target.conventionNumber(conventionDN)]
        if administered.contains(where: { $0.caseInsensitiveEquals(conventionDN) }) {
            context.print(context.catalogue.text(.administratorAlready, values))
            return
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .add, modification: PartialAttribute(type: AttributeName.administers, strings: [conventionDN])),
        ])
        context.print(context.catalogue.text(.administratorAdded, values))
    }
}
