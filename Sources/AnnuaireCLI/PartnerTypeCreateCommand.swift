import ArgumentParser
import Habilitations

/// `annuaire partner-type create CODE --label L` (operator, R8).
struct PartnerTypeCreateCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a partner type.",
        discussion: """
            Example:
              annuaire partner-type create CCAS \\
                --label "Centre communal d'action sociale" \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The type's code (e.g. BAILLEUR-SOCIAL).")
    var code: String

    @Option(help: "Its label.")
    var label: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = CatalogRecords.rdn(code, session.layout.partnerTypes)
        try CatalogRecords.add(session, dn: dn, objectClass: "annPartnerType", code: code, label: label)
        context.print("Created partner type \(code) \"\(label)\" (\(dn)).")
    }
}
