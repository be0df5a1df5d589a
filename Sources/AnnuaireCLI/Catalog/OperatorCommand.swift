public import ArgumentParser
import Messages

/// `annuaire operator`: the operator's internal users ("utilisateurs internes",
/// `ou=operators`), who manage everything (R8).
public struct OperatorCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "operator",
        abstract: CLIContext.texts.text(.helpOperator),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [OperatorCreateCommand.self, OperatorListCommand.self]
    ) }

    public init() {}
}
