import ArgumentParser
import Messages
import LDAPProtocol
import Habilitations

/// `annuaire partner create CODE --label L --type TYPE` (operator, R8).
struct PartnerCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpPartnerCreate),
        discussion: """
            \(CLIContext.texts.text(.helpExamplePartnerCreate))
              annuaire partner create PART0607 --label "Nom du partenaire" \\
                --type BAILLEUR-SOCIAL -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPartnerCode)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPartnerName)))
    var label: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPartnerType)))
    var type: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionItsMail)))
    var mail: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let typeDN = type.contains("=") ? type : CatalogRecords.rdn(type, session.layout.partnerTypes)
        _ = try session.require(typeDN, what: type, attributes: ["1.1"])
        let dn = CatalogRecords.rdn(code, session.partners)
        var more = [PartialAttribute(type: "annPartnerType", strings: [typeDN])]
        if let mail { more.append(PartialAttribute(type: "mail", strings: [mail])) }
        try CatalogRecords.add(session, dn: dn, objectClass: "annPartner", code: code, label: label, more: more)
        context.print(context.catalogue(.partnerCreated, ("code", code), ("label", label), ("type", LDAPText.leafValue(of: typeDN)), ("dn", dn)))
    }
}
