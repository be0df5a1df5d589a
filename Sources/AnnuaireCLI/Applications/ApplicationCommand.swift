public import ArgumentParser
import Messages

/// `annuaire application`: the accounts applications and SSO products bind
/// with (R8: `annServiceAccount` under `ou=operators`, read-only, scoped to
/// the users habilitated for their services). The operator manages them.
public struct ApplicationCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "application",
        abstract: CLIContext.texts.text(.helpApplication),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [ApplicationCreateCommand.self, ApplicationListCommand.self]
    ) }

    public init() {}
}
