import ArgumentParser
import Messages
import LDAPProtocol
import Habilitations

/// `annuaire operator create NAME`: an internal user of the operator
/// (Centre de Services); a temporary password is mailed to it (R6).
struct OperatorCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpOperatorCreate),
        discussion: """
            \(CLIContext.texts.text(.helpExample))
              annuaire operator create cds-martin --last-name MARTIN \\
                --first-name Paul --mail p.martin@centre-services.fr \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLoginName)))
    var name: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLastNamePlain)))
    var lastName: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFirstNamePlain)))
    var firstName: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOperatorMail)))
    var mail: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.layout.operatorAccount(name)
        try session.client.add(dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "annOperator"]),
            PartialAttribute(type: "uid", strings: [name]),
            PartialAttribute(type: "sn", strings: [lastName]),
            PartialAttribute(type: "givenName", strings: [firstName]),
            PartialAttribute(type: "cn", strings: ["\(firstName) \(lastName)"]),
            PartialAttribute(type: "mail", strings: [mail]),
        ])
        do {
            _ = try session.client.extended(name: PasswordModifyRequest.oid, value: PasswordModifyRequest(userIdentity: dn).encoded())
            context.print(context.catalogue(.operatorCreatedMailed, ("name", name), ("dn", dn), ("mail", mail)))
        } catch {
            context.print(context.catalogue(.operatorCreated, ("name", name), ("dn", dn)))
            throw CLIError(context.catalogue(.operatorNoTemporaryPassword, ("reason", CLIError(error).message), ("dn", dn)), status: CLIError(error).status)
        }
    }
}
