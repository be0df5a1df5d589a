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
            abstract: CLIContext.texts.language == .french
                ? "Afficher ou configurer le Centre de Services (téléphone, mail, horaires), cité dans chaque mail et par « annuaire rules »."
                : "Show or configure the help desk (phone, mail, hours), quoted in every mail and by `annuaire rules`.",
            discussion: """
                annuaire help-desk --phone "04 00 00 00 00" --mail centre-de-services@caf.fr \\
                  --hours "du lundi au vendredi, 8 h 30 – 17 h" -D uid=operateur,ou=operators,dc=annuaire,dc=local

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Phone / Téléphone.")
    var phone: String?

    @Option(help: "Mailbox / Adresse mail.")
    var mail: String?

    @Option(help: "Opening hours / Horaires.")
    var hours: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let dn = HelpDesk.dn(session.layout)
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
            throw CLIError.notFound(context.catalogue.language == .french
                ? "aucun Centre de Services n'est configuré : l'opérateur le configure avec --phone, --mail et --hours"
                : "no help desk is configured: the operator sets it with --phone, --mail and --hours")
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
