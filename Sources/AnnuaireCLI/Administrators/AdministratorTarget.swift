import ArgumentParser
import Habilitations
import LDAPProtocol
import Messages

/// `ID --convention N` of `annuaire administrator add|remove` (R8): the user and the convention
/// it administers or is to administer, found in the directory as the bound operator sees them.
struct AdministratorTarget: ParsableArguments {
    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserIdentifier)))
    var identifier: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionNumber)))
    var convention: String

    /// The convention's DN, the user's DN and the conventions the user administers now.
    func resolve(_ session: DirectorySession) throws -> (convention: String, user: String, administered: [String]) {
        let conventionDN = try session.convention(convention)
        let dn = session.userDN(identifier)
        let user = try session.require(dn, what: "user \(identifier)", attributes: [AttributeName.administers])
        return (conventionDN, dn, user.strings(AttributeName.administers))
    }

    /// The convention's number as messages show it.
    func conventionNumber(_ conventionDN: String) -> String { LDAPText.leafValue(of: conventionDN) }
}
