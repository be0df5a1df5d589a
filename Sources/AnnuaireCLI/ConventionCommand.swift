public import ArgumentParser

/// `annuaire convention`: the conventions you may see, with their granted profiles.
public struct ConventionCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "convention",
        abstract: "List and show conventions; create them (operator).",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [ConventionListCommand.self, ConventionShowCommand.self, ConventionCreateCommand.self]
    )

    public init() {}
}
