import AnnuaireCLI
import ArgumentParser
import DirectoryServer
import Foundation
import ServerOperations

/// The `annuaire` command: the server (`serve`), its operations (`backup`,
/// `restore`, `status`) and the administrators' commands.
@main
struct Annuaire: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "annuaire",
            abstract: AnnuaireCLI.rootAbstract,
            version: AnnuaireVersion.current,
            subcommands: [ServeCommand.self, PortalCommand.self, BackupCommand.self, RestoreCommand.self, StatusCommand.self] + AnnuaireCLI.commands,
            defaultSubcommand: nil
        )
    }

    /// `serve`'s options may also come from the environment and the
    /// configuration file (`ServeSettings`): they are put before the command
    /// line's, and an error about one of them names the line or variable.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var settings: ServeSettings?
        if arguments.first == "serve" || arguments.first == "portal" {
            MallocArenas.limit()
        }
        if arguments.first == "serve" {
            do {
                let resolved = try ServeSettings.resolve(
                    commandLine: Array(arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
                    options: ServeSettings.options(of: ServeCommand.self),
                    defaultFile: InstallationLayout.ofRunningProgram()?.configurationFile.path)
                arguments = ["serve"] + resolved.arguments
                settings = resolved
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                Foundation.exit(78)  // EX_CONFIG
            }
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) != .success, let settings, let place = settings.origin(of: message(for: error)) {
                FileHandle.standardError.write(Data("Error: \(place): \(message(for: error))\n".utf8))
                Foundation.exit(exitCode(for: error) == .validationFailure ? 78 : exitCode(for: error).rawValue)
            }
            exit(withError: error)
        }
    }
}
