import ArgumentParser
import Habilitations
import LDAPProtocol
import Messages

/// `annuaire help-desk`: the operator's help desk ("Centre de Services"),
/// configured once (phone, mailbox, hours) and shown in every mail the
/// server sends and in `annuaire rules`. Without options it shows it; with
/// options the operator writes it (R8: only the operator).
struct HelpDeskCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "help-desk",
            abstract: CLIContext.texts.text(.helpHelpDesk),
            discussion: """
                annuaire help-desk --phone "04 00 00 00 00" --mail centre-de-services@caf.fr \\
                  --hours "du lundi au vendredi, 8 h 30 – 17 h" -D uid=operateur,ou=operators,dc=annuaire,dc=local

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionHelpDeskPhone)))
    var phone: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionHelpDeskMail)))
    var mail: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionHelpDeskHours)))
    var hours: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = session.layout.helpDesk
        let current = try session.client.read(dn, attributes: ["telephoneNumber", "mail", "description"])
        if phone != nil || mail != nil || hours != nil {
            let desk = HelpDesk(
                phone: phone ?? current?.string("telephoneNumber") ?? "", mail: mail ?? current?.string("mail") ?? "",
                hours: hours ?? current?.string("description") ?? "")
            if current == nil {
                try session.client.add(dn: dn, attributes: desk.attributes())
            } else {
                try session.client.modify(dn: dn, changes: desk.attributes().filter { $0.type != "objectClass" && $0.type != "cn" }.map {
                    ModifyRequest.Change(operation: .replace, modification: $0)
                })
            }
        }
        guard let entry = try session.client.read(dn, attributes: ["telephoneNumber", "mail", "description"]) else {
            throw CLIError.notFound(context.catalogue.text(.errorNoHelpDesk))
        }
        context.print(HelpDeskText.line(entry, catalogue: context.catalogue))
    }
}

/// The help desk as the CLI shows it.
enum HelpDeskText {
    static func line(_ entry: SearchResultEntry, catalogue: Catalogue) -> String {
        catalogue.text(.helpDeskLine, [
            "phone": entry.string("telephoneNumber") ?? "", "mail": entry.string("mail") ?? "", "hours": entry.string("description") ?? "",
        ])
    }
}
