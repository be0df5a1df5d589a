public import ArgumentParser

/// `annuaire group`: the habilitation groups of a convention (R2, R3).
public struct GroupCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Create, import, export, list and show habilitation groups.",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [GroupCreateCommand.self, GroupListCommand.self, GroupShowCommand.self, GroupImportCommand.self, GroupExportCommand.self]
    )

    public init() {}
}
