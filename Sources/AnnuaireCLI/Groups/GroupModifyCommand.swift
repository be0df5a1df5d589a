import ArgumentParser
import LDAPProtocol
import Messages

/// `annuaire group modify CODE`: the portal's group screen after creation —
/// roles assigned and removed (R3, checked by the server against the
/// convention's granted profiles), label, dates, responsible and parent (R2).
/// One Modify: all the changes or none.
struct GroupModifyCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "modify",
            abstract: CLIContext.texts.text(.helpGroupModify),
            discussion: """
                annuaire group modify T1B --add-role CDAP/T2 --remove-role CDAP/T1 --label "CDAP T2"
                annuaire group modify T1B --responsible XXX0606XX07 --parent T1 --close-date 31/12/2026
                annuaire group modify T1B --parent none --no-close-date

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionGroupCode)))
    var code: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConvention)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLabel)))
    var label: String?

    @Option(name: .customLong("add-role"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionAddRole)))
    var addRoles: [String] = []

    @Option(name: .customLong("remove-role"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionRemoveRole)))
    var removeRoles: [String] = []

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionResponsible)))
    var responsible: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionParent)))
    var parent: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOpenDate)))
    var openDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate: String?

    @Flag(help: ArgumentHelp(CLIContext.texts.text(.helpOptionNoCloseDate)))
    var noCloseDate = false

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func validate() throws {
        if closeDate != nil && noCloseDate {
            throw ValidationError(CLIContext.texts(.conflictingOptions, ("a", "--close-date"), ("b", "--no-close-date")))
        }
        if label == nil, addRoles.isEmpty, removeRoles.isEmpty, responsible == nil, parent == nil, openDate == nil, closeDate == nil, !noCloseDate {
            throw ValidationError(CLIContext.texts.text(.nothingToChange))
        }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = try session.groupDN(code, convention: convention)
        let conventionDN = LDAPText.parent(of: dn)
        var changes: [ModifyRequest.Change] = []
        func replace(_ type: String, _ values: [String]) {
            // Replace with no value removes, and is no error when the attribute is absent (RFC 4511 §4.6).
            changes.append(ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: type, strings: values)))
        }
        if let label { replace("annLabel", [label]) }
        if let responsible { replace("annResponsible", [session.userDN(responsible)]) }
        if let parent {
            let none = ["none", "aucun", "-"].contains(parent.lowercased())
            replace("annParentGroup", none ? [] : [parent.contains("=") ? parent : "cn=\(LDAPText.escapeRDNValue(parent)),\(conventionDN)"])
        }
        if let openDate { replace("annOpenDate", [try DisplayDate.parse(openDate)]) }
        if let closeDate { replace("annCloseDate", [try DisplayDate.parse(closeDate)]) }
        if noCloseDate { replace("annCloseDate", []) }
        // Roles it already has are not added again, roles it lacks not removed (LDAP would answer 20 or 16).
        let current = Set((try session.client.read(dn, attributes: ["annRole"])?.strings("annRole") ?? []).map { $0.lowercased() })
        let added = try addRoles.map(session.profileDN).filter { !current.contains($0.lowercased()) }
        let removed = try removeRoles.map(session.profileDN).filter { current.contains($0.lowercased()) }
        if !added.isEmpty {
            changes.append(ModifyRequest.Change(operation: .add, modification: PartialAttribute(type: "annRole", strings: added)))
        }
        if !removed.isEmpty {
            changes.append(ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: "annRole", strings: removed)))
        }
        if !changes.isEmpty { try session.client.modify(dn: dn, changes: changes) }
        let entry = try session.require(dn, what: code, attributes: GroupRecords.attributes)
        if format == .table {
            context.print(context.catalogue(.groupModified, ("code", LDAPText.leafValue(of: dn))))
            context.print(RecordRenderer.detail(GroupRecords.detail(entry, session: session), format: .table))
        } else {
            context.print(RecordRenderer.detail(GroupRecords.detail(entry, session: session), format: format))
        }
    }
}
