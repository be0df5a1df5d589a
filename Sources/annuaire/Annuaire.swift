import AnnuaireCLI
import ArgumentParser
import DirectoryServer

/// The `annuaire` command: the server (`serve`) and, as issues land, the
/// administrators' commands.
@main
struct Annuaire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annuaire",
        abstract: "A directory server for delegated access rights, backed by OpenLDAP.",
        version: AnnuaireVersion.current,
        subcommands: [ServeCommand.self, PortalCommand.self] + AnnuaireCLI.commands,
        defaultSubcommand: nil
    )
}
