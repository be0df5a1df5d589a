import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire service create-profile SERVICE/PROFILE --label L` (operator):
/// a level of access within a service, which conventions then grant (R3).
struct ServiceCreateProfileCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create-profile",
        abstract: CLIContext.texts.text(.helpServiceCreateProfile),
        discussion: """
            \(CLIContext.texts.text(.helpExample))
              annuaire service create-profile CDAP/T3 --label "Profil T3" \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionProfile)))
    var profile: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionItsLabel)))
    var label: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.profileDN(profile)
        try CatalogRecords.add(session, dn: dn, objectClass: "annProfile", code: LDAPText.leafValue(of: dn), label: label)
        context.print(context.catalogue(.profileCreated, ("profile", session.roleName(dn)), ("label", label), ("dn", dn)))
    }
}
