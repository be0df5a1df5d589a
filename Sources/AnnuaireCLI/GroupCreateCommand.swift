import ArgumentParser
import LDAPProtocol

/// `annuaire group create CODE`: the portal's "Créer un groupe" (R2) with its roles (R3).
struct GroupCreateCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a habilitation group in a convention.",
        discussion: """
            The code is a short mnemonic, unique in the convention. Roles are SERVICE/PROFILE \
            (only the convention's granted profiles are accepted: R3). The level is derived by the server.

            Example (the tutorial's group, as the partner administrator):
              annuaire group create T1B --label "CDAP T1 bis" \\
                --responsible XXX0606XX01 --role CDAP/T1 -D XXX0606XX01

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The group code (e.g. T1).")
    var code: String

    @Option(help: "The group label (e.g. \"CDAP T1\").")
    var label: String

    @Option(help: "The responsible administrator: an identifier of the convention's users, or a DN.")
    var responsible: String

    @Option(help: "A role SERVICE/PROFILE such as CDAP/T1 (repeatable).")
    var role: [String] = []

    @Option(help: "Parent group code (\"sous-groupe de\").")
    var parent: String?

    @Option(help: "Open date (25/08/2021, 2021-08-25, today; default today).")
    var openDate: String?

    @Option(help: "Close date.")
    var closeDate: String?

    @Option(help: "Convention number (default: the one you administer).")
    var convention: String?

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let conventionDN = try session.convention(convention)
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(conventionDN)"
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annGroup"]),
            PartialAttribute(type: "cn", strings: [code]),
            PartialAttribute(type: "annLabel", strings: [label]),
            PartialAttribute(type: "annResponsible", strings: [session.userDN(responsible)]),
        ]
        let roles = try role.map(session.profileDN)
        if !roles.isEmpty { attributes.append(PartialAttribute(type: "annRole", strings: roles)) }
        if let parent {
            attributes.append(PartialAttribute(type: "annParentGroup", strings: [parent.contains("=") ? parent : "cn=\(LDAPText.escapeRDNValue(parent)),\(conventionDN)"]))
        }
        if let openDate { attributes.append(PartialAttribute(type: "annOpenDate", strings: [try DisplayDate.parse(openDate)])) }
        if let closeDate { attributes.append(PartialAttribute(type: "annCloseDate", strings: [try DisplayDate.parse(closeDate)])) }
        try session.client.add(dn: dn, attributes: attributes)
        let created = try session.require(dn, what: "the new group", attributes: GroupRecords.attributes)
        if format == .table {
            context.print("Created group \(code) \"\(label)\" in convention \(LDAPText.leafValue(of: conventionDN)) (\(dn)).")
        } else {
            context.print(RecordRenderer.detail(GroupRecords.detail(created, session: session), format: format))
        }
    }
}
