import ArgumentParser
import LDAPProtocol

/// `annuaire user modify ID`: the portal's "Modifier" on a user (R4): names,
/// e-mail and phone (each typed twice), work mode and dates. The server
/// checks R4 on the entry as it will be, and R8 (your conventions' users only).
struct UserModifyCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "modify",
        abstract: "Change a user's names, e-mail, phone, work mode or dates (R4).",
        discussion: """
            Only the fields given change. A new e-mail (or phone) is typed twice, as in the portal. \
            --no-close-date removes the close date (see also `user reopen`).

            Example (the tutorial's LAGARE Xavier gets a new phone number):
              annuaire user modify XXX0606XX11 --phone "07 00 02 00 01" \\
                --phone-confirmation "07 00 02 00 01"

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The user's identifier (or DN).")
    var identifier: String

    @Option(help: "Last name (Nom).")
    var lastName: String?

    @Option(help: "First name (Prénom).")
    var firstName: String?

    @Option(help: "Personal e-mail address.")
    var mail: String?

    @Option(help: "The e-mail address again.")
    var mailConfirmation: String?

    @Option(help: "Phone number (\"\" removes it).")
    var phone: String?

    @Option(help: "The phone number again.")
    var phoneConfirmation: String?

    @Option(help: "sedentary (fixed workstation) or itinerant.")
    var workMode: WorkMode?

    @Option(help: "Open date (25/08/2021, 2021-08-25, today).")
    var openDate: String?

    @Option(help: "Close date.")
    var closeDate: String?

    @Flag(help: "Remove the close date.")
    var noCloseDate = false

    @Option(help: "Output format of the user afterwards: table, json, csv, ldif.")
    var format: OutputFormat = .table

    func validate() throws {
        if (mail == nil) != (mailConfirmation == nil) {
            throw ValidationError("--mail and --mail-confirmation go together (R4: the e-mail address is typed twice)")
        }
        if let mail, let mailConfirmation, mail.lowercased() != mailConfirmation.lowercased() {
            throw ValidationError("R4: the two e-mail addresses differ (--mail, --mail-confirmation)")
        }
        if (phone == nil) != (phoneConfirmation == nil) {
            throw ValidationError("--phone and --phone-confirmation go together (R4: the phone number is typed twice)")
        }
        if let phone, let phoneConfirmation, phone != phoneConfirmation {
            throw ValidationError("R4: the two phone numbers differ (--phone, --phone-confirmation)")
        }
        if closeDate != nil && noCloseDate { throw ValidationError("--close-date and --no-close-date exclude each other") }
        if [lastName, firstName, mail, phone, openDate, closeDate].allSatisfy({ $0 == nil }) && workMode == nil && !noCloseDate {
            throw ValidationError("nothing to change: give at least one of --last-name, --first-name, --mail, --phone, --work-mode, --open-date, --close-date, --no-close-date")
        }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.userDN(identifier)
        let before = try session.require(dn, what: "user \(identifier)", attributes: UserRecords.attributes)
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
        let entry = try session.require(dn, what: "user \(identifier)", attributes: UserRecords.attributes)
        if format == .table {
            context.print("Modified user \(identifier).")
        }
        context.print(RecordRenderer.detail(UserRecords.detail(entry, session: session), format: format))
    }
}
