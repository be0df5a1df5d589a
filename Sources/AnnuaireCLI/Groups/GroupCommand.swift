public import ArgumentParser
import Messages

/// `annuaire group`: the habilitation groups of a convention (R2, R3).
public struct GroupCommand: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "group",
            abstract: CLIContext.texts.text(.helpGroup),
            discussion: AnnuaireCLI.commonDiscussion,
            subcommands: [
                GroupCreateCommand.self, GroupModifyCommand.self, GroupCloseCommand.self, GroupReopenCommand.self, GroupListCommand.self,
                GroupShowCommand.self, GroupImportCommand.self, GroupExportCommand.self,
            ]
        )
    }

    public init() {}
}
