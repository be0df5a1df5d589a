public import ArgumentParser
import Messages

/// `annuaire service`: the service catalogue and its profiles (R3), the operator's to change.
public struct ServiceCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "service",
        abstract: CLIContext.texts.text(.helpService),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [ServiceListCommand.self, ServiceCreateCommand.self, ServiceCreateProfileCommand.self]
    ) }

    public init() {}
}
