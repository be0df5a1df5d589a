public import ArgumentParser

/// `annuaire application`: the accounts applications and SSO products bind
/// with (R8: `annServiceAccount` under `ou=operators`, read-only, scoped to
/// the users habilitated for their services). The operator manages them.
public struct ApplicationCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "application",
        abstract: "Create and list application (service) accounts, as the operator.",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [ApplicationCreateCommand.self, ApplicationListCommand.self]
    )

    public init() {}
}
