public import ArgumentParser

/// `annuaire user`: the users of a convention (R4, R7).
public struct UserCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create, import, export, list, show, modify, close and reopen users; reset a password, resend an identifier.",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [
            UserCreateCommand.self, UserListCommand.self, UserShowCommand.self, UserModifyCommand.self, UserCloseCommand.self,
            UserReopenCommand.self, UserResetPasswordCommand.self, UserResendIdentifierCommand.self, UserImportCommand.self,
            UserExportCommand.self,
        ]
    )

    public init() {}
}
