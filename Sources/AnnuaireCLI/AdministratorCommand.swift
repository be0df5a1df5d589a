public import ArgumentParser

/// `annuaire administrator`: designating a convention's partner
/// administrators ("responsable habilitations", `annAdministers`), which only
/// the operator may do (R8: it carries rights).
public struct AdministratorCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "administrator",
        abstract: "Designate, remove and list partner administrators (operator).",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [AdministratorAddCommand.self, AdministratorRemoveCommand.self, AdministratorListCommand.self]
    )

    public init() {}
}
