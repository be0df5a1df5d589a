import ArgumentParser
import Habilitations
import LDAPProtocol
import Messages

/// `annuaire user create`: the portal's "Créer un utilisateur" (R4), through
/// the server's create-user extended operation: the server generates the
/// identifier and attaches the user to the group chosen at creation.
struct UserCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpUserCreate),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussUserCreate))

            \(CLIContext.texts.text(.helpExampleTutorial))
              annuaire user create --last-name LAGARE --first-name Xavier \\
                --mail x.lagare@partenaires.fr \\
                --mail-confirmation x.lagare@partenaires.fr \\
                --phone "07 00 02 00 00" --phone-confirmation "07 00 02 00 00" \\
                --group T1 --work-mode sedentary -D XXX0606XX01

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLastName)))
    var lastName: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFirstName)))
    var firstName: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionMail)))
    var mail: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionMailAgain)))
    var mailConfirmation: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPhone)))
    var phone: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPhoneAgain)))
    var phoneConfirmation: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionHabilitationGroup)))
    var group: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionWorkMode)))
    var workMode: WorkMode

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOpenDateDefaultToday)))
    var openDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCloseDate)))
    var closeDate: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionWhenSeveral)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormatSentence)))
    var format: OutputFormat = .table

    func validate() throws {
        if (phone == nil) != (phoneConfirmation == nil) {
            throw ValidationError(CLIContext.texts.text(.errorPhonePair))
        }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let groupDN = try session.groupDN(group, convention: convention)
        let request = CreateUserRequest(
            convention: LDAPText.parent(of: groupDN), group: groupDN, sn: lastName, givenName: firstName,
            mail: mail, mailConfirmation: mailConfirmation,
            telephoneNumber: phone, telephoneConfirmation: phoneConfirmation,
            workMode: workMode.rawValue,
            openDate: try openDate.map(DisplayDate.parse), closeDate: try closeDate.map(DisplayDate.parse))
        // A warning, not a refusal: an open user (that you can see) already has this name and mailbox.
        let alike = (try? session.client.search(
            base: session.people, scope: .singleLevel,
            filter: try SamePersonCheck.filter(sn: lastName, givenName: firstName, mail: mail), attributes: ["uid"]))?
            .compactMap { $0.string("uid") }.sorted() ?? []
        if !alike.isEmpty {
            context.errorOutput.write(context.catalogue(.warningSamePerson, ("identifiers", alike.joined(separator: ", "))) + "\n")
        }
        guard let value = try session.client.extended(name: CreateUserRequest.oid, value: request.encoded()) else {
            throw CLIError(context.catalogue.text(.errorNoIdentifierBack), status: .serverError)
        }
        let response = try CreateUserResponse(value: value)
        switch format {
        case .table:
            context.print(context.catalogue(
                .userCreated, ("lastName", lastName), ("firstName", firstName), ("identifier", response.identifier), ("dn", response.dn),
                ("group", LDAPText.leafValue(of: groupDN))))
        default:
            let entry = try session.require(response.dn, what: response.identifier, attributes: UserRecords.attributes)
            context.print(RecordRenderer.detail(UserRecords.detail(entry, session: session), format: format))
        }
    }
}
