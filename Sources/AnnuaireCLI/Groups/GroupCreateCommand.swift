import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire group create CODE`: the portal's "Créer un groupe" (R2) with its roles (R3).
struct GroupCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpGroupCreate),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussGroupCreate))

            \(CLIContext.texts.text(.helpExampleGroupCreate))
              annuaire group create T1B --label "CDAP T1 bis" \\
                --responsible XXX0606XX01 --role CDAP/T1 -D XXX0606XX01

            \(CLIContext.texts.text(.helpDiscussGroupCreateResponsible))
              annuaire group create ADM --label "Administration" --role CDAP/T1 \\
                --convention CONV-0606-002 --new-responsible-last-name ROUX \\
                --new-responsible-first-name Claire --new-responsible-mail c.roux@partenaire.fr \\
                --new-responsible-mail-confirmation c.roux@partenaire.fr \\
                --new-responsible-work-mode sedentary -D uid=operateur,ou=operators,dc=annuaire,dc=local
              annuaire administrator add \(CLIContext.texts.text(.helpPrintedIdentifier)) --convention CONV-0606-002 -D …

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGroupCode)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLabel)))
    var label: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionResponsible)))
    var responsible: String?

    @OptionGroup var newResponsible: NewResponsibleOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionRole)))
    var role: [String] = []

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionParentCreate)))
    var parent: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOpenDateDefaultToday)))
    var openDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionCreate)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func validate() throws {
        guard (responsible == nil) != !newResponsible.isGiven else {
            throw ValidationError(CLIContext.texts.text(.errorGroupResponsibleChoice))
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
                throw CLIError(context.catalogue.text(.errorNoIdentifierBack), status: .serverError)
            }
            let created = try CreateUserResponse(value: value)
            summary = context.catalogue.text(.groupCreatedWithResponsible, Dictionary(uniqueKeysWithValues: named + [
                ("lastName", newResponsible.lastName ?? ""), ("firstName", newResponsible.firstName ?? ""), ("identifier", created.identifier),
                ("userDN", created.dn),
            ]))
        }
        let created = try session.require(dn, what: code, attributes: GroupRecords.attributes)
        if format == .table {
            context.print(summary)
        } else {
            context.print(RecordRenderer.detail(GroupRecords.detail(created, session: session), format: format))
        }
    }
}
