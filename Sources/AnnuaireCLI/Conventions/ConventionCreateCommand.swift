import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire convention create NUMBER --partner P --grant SERVICE/PROFILE…`:
/// the operator signs a convention with a partner, granting services with
/// the profiles the partner may use (R3: the only ones its groups can hold).
struct ConventionCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpConventionCreate),
        discussion: """
            \(CLIContext.texts.text(.helpExampleConventionCreate))
              annuaire convention create CONV-0606-002 --partner PART0606 \\
                --label "Convention CDAP" --grant CDAP/T1 --open-date 01/01/2026 \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionNumberNew)))
    var number: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPartner)))
    var partner: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionItsLabel)))
    var label: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGrant)))
    var grant: [String] = []

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOpenDateDefaultToday)))
    var openDate = "today"

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let partnerDN = partner.contains("=") ? partner : CatalogRecords.rdn(partner, session.partners)
        _ = try session.require(partnerDN, what: partner, attributes: ["1.1"])
        var profiles: [String] = []
        for role in grant {
            let dn = try session.profileDN(role)
            _ = try session.require(dn, what: role, attributes: ["1.1"])
            profiles.append(dn)
        }
        let dn = CatalogRecords.rdn(number, partnerDN)
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annConvention"]),
            PartialAttribute(type: "cn", strings: [number]),
            PartialAttribute(type: "annOpenDate", strings: [try DisplayDate.parse(openDate)]),
        ]
        if let label { attributes.append(PartialAttribute(type: "annLabel", strings: [label])) }
        if !profiles.isEmpty { attributes.append(PartialAttribute(type: "annGrantedProfile", strings: profiles)) }
        if let closeDate { attributes.append(PartialAttribute(type: "annCloseDate", strings: [try DisplayDate.parse(closeDate)])) }
        try session.client.add(dn: dn, attributes: attributes)
        let entry = try session.require(dn, what: number, attributes: ConventionRecords.attributes)
        if format == .table {
            context.print(context.catalogue(
                .conventionCreated, ("number", number), ("partner", LDAPText.leafValue(of: partnerDN)),
                ("grants", grant.isEmpty ? context.catalogue.text(.conventionGrantsNothing) : grant.joined(separator: ", ")), ("dn", dn)))
        } else {
            context.print(RecordRenderer.detail(ConventionRecords.row(entry, session: session), format: format))
        }
    }
}
