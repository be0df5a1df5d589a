public import ArgumentParser
import Messages

/// `annuaire convention`: the conventions you may see, with their granted profiles.
public struct ConventionCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "convention",
        abstract: CLIContext.texts.text(.helpConvention),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [ConventionListCommand.self, ConventionShowCommand.self, ConventionCreateCommand.self]
    ) }

    public init() {}
}
