public import ArgumentParser

/// `annuaire service`: the service catalogue and its profiles (R3), the operator's to change.
public struct ServiceCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "List services and their profiles; create them (operator).",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [ServiceListCommand.self, ServiceCreateCommand.self, ServiceCreateProfileCommand.self]
    )

    public init() {}
}
