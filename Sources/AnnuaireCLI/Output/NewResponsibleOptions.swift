import ArgumentParser
import Messages
import LDAPProtocol

/// R2, "created on the spot": the fields of a new user who becomes the
/// responsible of the group being created (the same fields as `user create`,
/// typed twice where the portal asks twice: R4).
struct NewResponsibleOptions: ParsableArguments {
    @Option(name: .customLong("new-responsible-last-name"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionNewResponsibleLastName)))
    var lastName: String?

    @Option(name: .customLong("new-responsible-first-name"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionNewResponsibleFirstName)))
    var firstName: String?

    @Option(name: .customLong("new-responsible-mail"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionNewResponsibleMail)))
    var mail: String?

    @Option(name: .customLong("new-responsible-mail-confirmation"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionMailAgain)))
    var mailConfirmation: String?

    @Option(name: .customLong("new-responsible-phone"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionNewResponsiblePhone)))
    var phone: String?

    @Option(name: .customLong("new-responsible-phone-confirmation"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionPhoneAgain)))
    var phoneConfirmation: String?

    @Option(name: .customLong("new-responsible-work-mode"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionWorkModeShort)))
    var workMode: WorkMode?

    /// Whether any of the options was given.
    var isGiven: Bool {
        [lastName, firstName, mail, mailConfirmation, phone, phoneConfirmation].contains { $0 != nil } || workMode != nil
    }

    func validate() throws {
        guard isGiven else { return }
        guard lastName != nil, firstName != nil, mail != nil, mailConfirmation != nil, workMode != nil else {
            throw ValidationError(CLIContext.texts.text(.errorNewResponsibleIncomplete))
        }
        if (phone == nil) != (phoneConfirmation == nil) {
            throw ValidationError(CLIContext.texts.text(.errorNewResponsiblePhonePair))
        }
    }

    /// The create-user request that creates `groupDN` with this person as its responsible.
    func request(convention: String, groupDN: String, group: CreateUserRequest.NewGroup) -> CreateUserRequest {
        CreateUserRequest(
            convention: convention, group: groupDN, sn: lastName ?? "", givenName: firstName ?? "", mail: mail ?? "",
            mailConfirmation: mailConfirmation ?? "", telephoneNumber: phone, telephoneConfirmation: phoneConfirmation,
            workMode: workMode?.rawValue, newGroup: group)
    }
}
