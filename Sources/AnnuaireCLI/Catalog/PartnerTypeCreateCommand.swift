import ArgumentParser
import Messages
import Habilitations

/// `annuaire partner-type create CODE --label L` (operator, R8).
struct PartnerTypeCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpPartnerTypeCreate),
        discussion: """
            \(CLIContext.texts.text(.helpExample))
              annuaire partner-type create CCAS \\
                --label "Centre communal d'action sociale" \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPartnerTypeCode)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionItsLabel)))
    var label: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = CatalogRecords.rdn(code, session.layout.partnerTypes)
        try CatalogRecords.add(session, dn: dn, objectClass: "annPartnerType", code: code, label: label)
        context.print(context.catalogue(.partnerTypeCreated, ("code", code), ("label", label), ("dn", dn)))
    }
}
