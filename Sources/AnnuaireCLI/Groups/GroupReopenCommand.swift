import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire group reopen CODE`: removes a group's close date (R7); its
/// memberships in force count again and the server derives their state.
struct GroupReopenCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "reopen",
            abstract: CLIContext.texts.text(.helpGroupReopen),
            discussion: """
                annuaire group reopen T1B

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGroupCode)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConvention)))
    var convention: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.groupDN(code, convention: convention)
        let before = try session.require(dn, what: code, attributes: ["annCloseDate"])
        guard before.string("annCloseDate") != nil else {
            throw CLIError(context.catalogue(.groupNotClosed, ("code", code)), status: .ruleViolation)
        }
        try session.client.modify(dn: dn, changes: [
            ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: "annCloseDate", values: [])),
        ])
        context.print(context.catalogue(.groupReopened, ("code", LDAPText.leafValue(of: dn))))
    }
}
