public import ArgumentParser
import Messages

/// `annuaire user`: the users of a convention (R4, R7).
public struct UserCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "user",
        abstract: CLIContext.texts.text(.helpUser),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [
            UserCreateCommand.self, UserListCommand.self, UserShowCommand.self, UserModifyCommand.self, UserCloseCommand.self,
            UserReopenCommand.self, UserResetPasswordCommand.self, UserResendIdentifierCommand.self, UserImportCommand.self,
            UserExportCommand.self,
        ]
    ) }

    public init() {}
}
