import ArgumentParser

/// `annuaire service create CODE --label L` (operator, R8).
struct ServiceCreateCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a service (an online application reached through the directory).",
        discussion: """
            Example:
              annuaire service create AFAS2 --label "Aide financière d'action sociale" \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The service's code (e.g. CDAP).")
    var code: String

    @Option(help: "Its label (e.g. \"Consulter Dossier\").")
    var label: String

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = CatalogRecords.rdn(code, session.services)
        try CatalogRecords.add(session, dn: dn, objectClass: "annService", code: code, label: label)
        context.print("Created service \(code) \"\(label)\" (\(dn)).")
    }
}
