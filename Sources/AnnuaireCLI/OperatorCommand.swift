public import ArgumentParser

/// `annuaire operator`: the operator's internal users ("utilisateurs internes",
/// `ou=operators`), who manage everything (R8).
public struct OperatorCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Create and list the operator's internal users (operator).",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [OperatorCreateCommand.self, OperatorListCommand.self]
    )

    public init() {}
}
