import ArgumentParser
import LDAPProtocol

/// R2, "created on the spot": the fields of a new user who becomes the
/// responsible of the group being created (the same fields as `user create`,
/// typed twice where the portal asks twice: R4).
struct NewResponsibleOptions: ParsableArguments {
    @Option(name: .customLong("new-responsible-last-name"), help: "Create the responsible on the spot: last name.")
    var lastName: String?

    @Option(name: .customLong("new-responsible-first-name"), help: "The new responsible's first name.")
    var firstName: String?

    @Option(name: .customLong("new-responsible-mail"), help: "The new responsible's personal e-mail address.")
    var mail: String?

    @Option(name: .customLong("new-responsible-mail-confirmation"), help: "The e-mail address again.")
    var mailConfirmation: String?

    @Option(name: .customLong("new-responsible-phone"), help: "The new responsible's phone number (optional).")
    var phone: String?

    @Option(name: .customLong("new-responsible-phone-confirmation"), help: "The phone number again.")
    var phoneConfirmation: String?

    @Option(name: .customLong("new-responsible-work-mode"), help: "sedentary or itinerant.")
    var workMode: WorkMode?

    /// Whether any of the options was given.
    var isGiven: Bool {
        [lastName, firstName, mail, mailConfirmation, phone, phoneConfirmation].contains { $0 != nil } || workMode != nil
    }

    func validate() throws {
        guard isGiven else { return }
        guard lastName != nil, firstName != nil, mail != nil, mailConfirmation != nil, workMode != nil else {
            throw ValidationError(
                "a responsible created on the spot needs --new-responsible-last-name, --new-responsible-first-name, --new-responsible-mail, --new-responsible-mail-confirmation and --new-responsible-work-mode (R4)")
        }
        if (phone == nil) != (phoneConfirmation == nil) {
            throw ValidationError("--new-responsible-phone and --new-responsible-phone-confirmation go together (R4: the phone number is typed twice)")
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
