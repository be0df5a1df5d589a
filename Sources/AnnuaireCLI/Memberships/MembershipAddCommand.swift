import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire membership add ID --group CODE`: the portal's "Ajouter un
/// utilisateur au groupe" (R5). A person whose membership of the group has
/// ended is attached again for a new period (the server keeps the ended one
/// in the history).
struct MembershipAddCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "add",
            abstract: CLIContext.texts.text(.helpMembershipAdd),
            discussion: """
                annuaire membership add XXX0606XX11 --group T1B
                annuaire membership add XXX0606XX11 --group T1B --open-date 01/09/2026 --close-date 31/12/2026

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionIdentifier)))
    var identifier: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGroup)))
    var group: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConvention)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOpenDate)))
    var openDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        guard !identifier.contains("=") else { throw CLIError.usage(context.catalogue.text(.errorMembershipIdentifierNotDN)) }
        let groupDN = try session.groupDN(group, convention: convention)
        let dn = "annMemberUid=\(LDAPText.escapeRDNValue(identifier)),\(groupDN)"
        let existed = (try? session.client.read(dn, attributes: ["1.1"])) != nil
        let open = try openDate.map(DisplayDate.parse)
        try session.addMembership(identifier, to: groupDN, openDate: open, closeDate: try closeDate.map(DisplayDate.parse))
        let written = try session.client.read(dn, attributes: ["annOpenDate"])?.string("annOpenDate") ?? open ?? DisplayDate.today()
        let values = [("identifier", identifier), ("group", LDAPText.leafValue(of: groupDN)), ("date", DisplayDate.portal(written))]
        context.print(context.catalogue.text(existed ? .membershipReattached : .membershipAttached, Dictionary(uniqueKeysWithValues: values)))
    }
}
