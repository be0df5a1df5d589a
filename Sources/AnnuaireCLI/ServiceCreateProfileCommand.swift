import ArgumentParser
import LDAPProtocol

/// `annuaire service create-profile SERVICE/PROFILE --label L` (operator):
/// a level of access within a service, which conventions then grant (R3).
struct ServiceCreateProfileCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-profile",
        abstract: "Create a profile of a service.",
        discussion: """
            Example:
              annuaire service create-profile CDAP/T3 --label "Profil T3" \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "SERVICE/PROFILE, such as CDAP/T1.")
    var profile: String

    @Option(help: "Its label.")
    var label: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.profileDN(profile)
        try CatalogRecords.add(session, dn: dn, objectClass: "annProfile", code: LDAPText.leafValue(of: dn), label: label)
        context.print("Created profile \(session.roleName(dn)) \"\(label)\" (\(dn)).")
    }
}
