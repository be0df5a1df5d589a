public import ArgumentParser

/// `annuaire membership`: users attached to groups, with dates (R5).
public struct MembershipCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "membership",
        abstract: "Attach users to groups, list and close memberships.",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [MembershipAddCommand.self, MembershipListCommand.self, MembershipCloseCommand.self]
    )

    public init() {}
}
