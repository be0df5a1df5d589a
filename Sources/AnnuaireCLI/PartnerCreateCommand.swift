import ArgumentParser
import LDAPProtocol
import Habilitations

/// `annuaire partner create CODE --label L --type TYPE` (operator, R8).
struct PartnerCreateCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a partner of a partner type.",
        discussion: """
            Example (the tutorial's partner, with another code):
              annuaire partner create PART0607 --label "Nom du partenaire" \\
                --type BAILLEUR-SOCIAL -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The partner's code (e.g. PART0606).")
    var code: String

    @Option(help: "Its name (\"Nom du partenaire\").")
    var label: String

    @Option(help: "Its partner type (code, see `annuaire partner-type list`).")
    var type: String

    @Option(help: "Its e-mail address.")
    var mail: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let typeDN = type.contains("=") ? type : CatalogRecords.rdn(type, session.layout.partnerTypes)
        _ = try session.require(typeDN, what: "partner type \(type)", attributes: ["1.1"])
        let dn = CatalogRecords.rdn(code, session.partners)
        var more = [PartialAttribute(type: "annPartnerType", strings: [typeDN])]
        if let mail { more.append(PartialAttribute(type: "mail", strings: [mail])) }
        try CatalogRecords.add(session, dn: dn, objectClass: "annPartner", code: code, label: label, more: more)
        context.print("Created partner \(code) \"\(label)\" of type \(LDAPText.leafValue(of: typeDN)) (\(dn)).")
    }
}
