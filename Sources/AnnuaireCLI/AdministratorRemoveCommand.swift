import ArgumentParser
import LDAPProtocol

/// `annuaire administrator remove ID --convention N` (operator, R8).
struct AdministratorRemoveCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Withdraw a user's administration of a convention.",
        discussion: """
            Example:
              annuaire administrator remove XXX0606XX07 --convention CONV-0606-001 \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The user's identifier (or DN).")
    var identifier: String

    @Option(help: "The convention (number or DN).")
    var convention: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let conventionDN = try session.convention(convention)
        let dn = session.userDN(identifier)
        let user = try session.require(dn, what: "user \(identifier)", attributes: ["annAdministers"])
        guard let stored = user.strings("annAdministers").first(where: { $0.caseInsensitiveEquals(conventionDN) }) else {
            throw CLIError.notFound("\(identifier) does not administer \(LDAPText.leafValue(of: conventionDN))")
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: "annAdministers", strings: [stored])),
        ])
        context.print("\(identifier) no longer administers convention \(LDAPText.leafValue(of: conventionDN)).")
    }
}
