public import ArgumentParser
import Messages

/// `annuaire membership`: users attached to groups, with dates (R5).
public struct MembershipCommand: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "membership",
            abstract: CLIContext.texts.text(.helpMembership),
            discussion: AnnuaireCLI.commonDiscussion,
            subcommands: [MembershipAddCommand.self, MembershipListCommand.self, MembershipModifyCommand.self, MembershipCloseCommand.self]
        )
    }

    public init() {}
}
