import ArgumentParser
import LDAPProtocol
import Habilitations

/// `annuaire operator create NAME`: an internal user of the operator
/// (Centre de Services); a temporary password is mailed to it (R6).
struct OperatorCreateCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an internal user; a temporary password is mailed to it.",
        discussion: """
            Example:
              annuaire operator create cds-martin --last-name MARTIN \\
                --first-name Paul --mail p.martin@centre-services.fr \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The login name (uid).")
    var name: String

    @Option(help: "Last name.")
    var lastName: String

    @Option(help: "First name.")
    var firstName: String

    @Option(help: "Personal e-mail address (the temporary password goes there).")
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
            context.print("Created internal user \(name) (\(dn)); a temporary password was mailed to \(mail).")
        } catch {
            context.print("Created internal user \(name) (\(dn)).")
            throw CLIError("no temporary password could be issued (\(CLIError(error).message)); run `annuaire user reset-password \(dn)`", status: CLIError(error).status)
        }
    }
}
