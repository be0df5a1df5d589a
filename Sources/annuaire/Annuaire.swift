import AnnuaireCLI
import ArgumentParser
import DirectoryServer

/// The `annuaire` command: the server (`serve`) and, as issues land, the
/// administrators' commands.
@main
struct Annuaire: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "annuaire",
            abstract: AnnuaireCLI.rootAbstract,
            version: AnnuaireVersion.current,
            subcommands: [ServeCommand.self] + AnnuaireCLI.commands,
            defaultSubcommand: nil
        )
    }
}
