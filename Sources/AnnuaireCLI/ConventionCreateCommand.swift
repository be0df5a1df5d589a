import ArgumentParser
import LDAPProtocol

/// `annuaire convention create NUMBER --partner P --grant SERVICE/PROFILE…`:
/// the operator signs a convention with a partner, granting services with
/// the profiles the partner may use (R3: the only ones its groups can hold).
struct ConventionCreateCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a convention granting services and profiles (operator).",
        discussion: """
            Example (the tutorial's convention: Consulter Dossier, profile T1):
              annuaire convention create CONV-0606-002 --partner PART0606 \\
                --label "Convention CDAP" --grant CDAP/T1 --open-date 01/01/2026 \\
                -D uid=operateur,ou=operators,dc=annuaire,dc=local

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The convention's number.")
    var number: String

    @Option(help: "The partner (code).")
    var partner: String

    @Option(help: "Its label.")
    var label: String?

    @Option(help: "A granted profile SERVICE/PROFILE such as CDAP/T1 (repeatable).")
    var grant: [String] = []

    @Option(help: "Open date (default today).")
    var openDate = "today"

    @Option(help: "Close date.")
    var closeDate: String?

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let partnerDN = partner.contains("=") ? partner : CatalogRecords.rdn(partner, session.partners)
        _ = try session.require(partnerDN, what: "partner \(partner)", attributes: ["1.1"])
        var profiles: [String] = []
        for role in grant {
            let dn = try session.profileDN(role)
            _ = try session.require(dn, what: "profile \(role)", attributes: ["1.1"])
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
        let entry = try session.require(dn, what: "the new convention", attributes: ConventionRecords.attributes)
        if format == .table {
            context.print("Created convention \(number) with \(LDAPText.leafValue(of: partnerDN)), granting \(grant.isEmpty ? "nothing yet" : grant.joined(separator: ", ")) (\(dn)).")
        } else {
            context.print(RecordRenderer.detail(ConventionRecords.row(entry, session: session), format: format))
        }
    }
}
