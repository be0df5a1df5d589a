import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire group create CODE`: the portal's "Créer un groupe" (R2) with its roles (R3).
struct GroupCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpGroupCreate),
        discussion: """
            The code is a short mnemonic, unique in the convention. Roles are SERVICE/PROFILE \
            (only the convention's granted profiles are accepted: R3). The level is derived by the server.

            Example (the tutorial's group, as the partner administrator):
              annuaire group create T1B --label "CDAP T1 bis" \\
                --responsible XXX0606XX01 --role CDAP/T1 -D XXX0606XX01

            The responsible is chosen among the convention's users, or created on the spot (R2) \
            with the --new-responsible-* options: the server creates the group, the person (with a \
            generated identifier, mailed with a temporary password) and their membership in the group \
            in one transaction. This is how the operator starts a new convention:
              annuaire group create ADM --label "Administration" --role CDAP/T1 \\
                --convention CONV-0606-002 --new-responsible-last-name ROUX \\
                --new-responsible-first-name Claire --new-responsible-mail c.roux@partenaire.fr \\
                --new-responsible-mail-confirmation c.roux@partenaire.fr \\
                --new-responsible-work-mode sedentary -D uid=operateur,ou=operators,dc=annuaire,dc=local
              annuaire administrator add <the printed identifier> --convention CONV-0606-002 -D …

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The group code (e.g. T1).")
    var code: String

    @Option(help: "The group label (e.g. \"CDAP T1\").")
    var label: String

    @Option(help: "The responsible administrator: an identifier of the convention's users, or a DN.")
    var responsible: String?

    @OptionGroup var newResponsible: NewResponsibleOptions

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

    func validate() throws {
        guard (responsible == nil) != !newResponsible.isGiven else {
            throw ValidationError("give the responsible (R2): either --responsible ID for one of the convention's users, or the --new-responsible-* options to create one on the spot")
        }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let conventionDN = try session.convention(convention)
        let dn = "cn=\(LDAPText.escapeRDNValue(code)),\(conventionDN)"
        let roles = try role.map(session.profileDN)
        let parentDN = parent.map { $0.contains("=") ? $0 : "cn=\(LDAPText.escapeRDNValue($0)),\(conventionDN)" }
        let open = try openDate.map(DisplayDate.parse)
        let close = try closeDate.map(DisplayDate.parse)
        let named = [("code", code), ("label", label), ("convention", LDAPText.leafValue(of: conventionDN)), ("dn", dn)]
        var summary = context.catalogue.text(.groupCreated, Dictionary(uniqueKeysWithValues: named))
        if let responsible {
            var attributes = [
                PartialAttribute(type: "objectClass", strings: ["annGroup"]),
                PartialAttribute(type: "cn", strings: [code]),
                PartialAttribute(type: "annLabel", strings: [label]),
                PartialAttribute(type: "annResponsible", strings: [session.userDN(responsible)]),
            ]
            if !roles.isEmpty { attributes.append(PartialAttribute(type: "annRole", strings: roles)) }
            if let parentDN { attributes.append(PartialAttribute(type: "annParentGroup", strings: [parentDN])) }
            if let open { attributes.append(PartialAttribute(type: "annOpenDate", strings: [open])) }
            if let close { attributes.append(PartialAttribute(type: "annCloseDate", strings: [close])) }
            try session.client.add(dn: dn, attributes: attributes)
        } else {
            let request = newResponsible.request(
                convention: conventionDN, groupDN: dn,
                group: CreateUserRequest.NewGroup(label: label, roles: roles, parent: parentDN, openDate: open, closeDate: close))
            guard let value = try session.client.extended(name: CreateUserRequest.oid, value: request.encoded()) else {
                throw CLIError("the server created the group but sent no identifier back", status: .serverError)
            }
            let created = try CreateUserResponse(value: value)
            summary = context.catalogue.text(.groupCreatedWithResponsible, Dictionary(uniqueKeysWithValues: named + [
                ("lastName", newResponsible.lastName ?? ""), ("firstName", newResponsible.firstName ?? ""), ("identifier", created.identifier),
                ("userDN", created.dn),
            ]))
        }
        let created = try session.require(dn, what: "the new group", attributes: GroupRecords.attributes)
        if format == .table {
            context.print(summary)
        } else {
            context.print(RecordRenderer.detail(GroupRecords.detail(created, session: session), format: format))
        }
    }
}
