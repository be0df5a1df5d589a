public import ArgumentParser
import Messages

/// `annuaire administrator`: designating a convention's partner
/// administrators ("responsable habilitations", `annAdministers`), which only
/// the operator may do (R8: it carries rights).
public struct AdministratorCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "administrator",
        abstract: CLIContext.texts.text(.helpAdministrator),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [AdministratorAddCommand.self, AdministratorRemoveCommand.self, AdministratorListCommand.self]
    ) }

    public init() {}
}
