import ArgumentParser
import Messages

/// `annuaire service create CODE --label L` (operator, R8).
struct ServiceCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpServiceCreate),
        discussion: """
            \(CLIContext.texts.text(.helpExample))
              annuaire service create AFAS2 --label "Aide financière d'action sociale" \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionServiceCode)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionServiceLabel)))
    var label: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = CatalogRecords.rdn(code, session.services)
        try CatalogRecords.add(session, dn: dn, objectClass: "annService", code: code, label: label)
        context.print(context.catalogue(.serviceCreated, ("code", code), ("label", label), ("dn", dn)))
    }
}
