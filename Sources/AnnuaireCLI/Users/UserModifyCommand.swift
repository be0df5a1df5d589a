import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire user modify ID`: the portal's "Modifier" on a user (R4): names,
/// e-mail and phone (each typed twice), work mode and dates. The server
/// checks R4 on the entry as it will be, and R8 (your conventions' users only).
struct UserModifyCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "modify",
        abstract: CLIContext.texts.text(.helpUserModify),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussUserModify))

            \(CLIContext.texts.text(.helpExampleUserModify))
              annuaire user modify XXX0606XX11 --phone "07 00 02 00 01" \\
                --phone-confirmation "07 00 02 00 01"

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUserIdentifier)))
    var identifier: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLastName)))
    var lastName: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFirstName)))
    var firstName: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionMail)))
    var mail: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionMailAgain)))
    var mailConfirmation: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPhoneRemovable)))
    var phone: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPhoneAgain)))
    var phoneConfirmation: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionWorkMode)))
    var workMode: WorkMode?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOpenDate)))
    var openDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate: String?

    @Flag(help: ArgumentHelp(CLIContext.texts.text(.helpOptionNoCloseDate)))
    var noCloseDate = false

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormatAfter)))
    var format: OutputFormat = .table

    func validate() throws {
        if (mail == nil) != (mailConfirmation == nil) {
            throw ValidationError(CLIContext.texts.text(.errorMailPair))
        }
        if let mail, let mailConfirmation, mail.lowercased() != mailConfirmation.lowercased() {
            throw ValidationError(CLIContext.texts.text(.errorMailsDiffer))
        }
        if (phone == nil) != (phoneConfirmation == nil) {
            throw ValidationError(CLIContext.texts.text(.errorPhonePair))
        }
        if let phone, let phoneConfirmation, phone != phoneConfirmation {
            throw ValidationError(CLIContext.texts.text(.errorPhonesDiffer))
        }
        if closeDate != nil && noCloseDate { throw ValidationError(CLIContext.texts(.conflictingOptions, ("a", "--close-date"), ("b", "--no-close-date"))) }
        if [lastName, firstName, mail, phone, openDate, closeDate].allSatisfy({ $0 == nil }) && workMode == nil && !noCloseDate {
            throw ValidationError(CLIContext.texts.text(.errorUserNothingToChange))
        }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.userDN(identifier)
        let before = try session.require(dn, what: identifier, attributes: UserRecords.attributes)
        func replace(_ type: String, _ values: [String]) -> ModifyRequest.Change {
            ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: type, strings: values))
        }
        var changes: [ModifyRequest.Change] = []
        if let lastName { changes.append(replace("sn", [lastName])) }
        if let firstName { changes.append(replace("givenName", [firstName])) }
        if lastName != nil || firstName != nil {
            changes.append(replace("cn", ["\(firstName ?? before.string("givenName") ?? "") \(lastName ?? before.string("sn") ?? "")"]))
        }
        if let mail { changes.append(replace("mail", [mail])) }
        if let phone { changes.append(replace("telephoneNumber", phone.isEmpty ? [] : [phone])) }
        if let workMode { changes.append(replace("annWorkMode", [workMode.rawValue])) }
        if let openDate { changes.append(replace("annOpenDate", [try DisplayDate.parse(openDate)])) }
        if let closeDate { changes.append(replace("annCloseDate", [try DisplayDate.parse(closeDate)])) }
        if noCloseDate { changes.append(replace("annCloseDate", [])) }
        try session.client.modify(dn: dn, changes: changes)
        let entry = try session.require(dn, what: identifier, attributes: UserRecords.attributes)
        if format == .table {
            context.print(context.catalogue(.userModified, ("identifier", identifier)))
        }
        context.print(RecordRenderer.detail(UserRecords.detail(entry, session: session), format: format))
    }
}
