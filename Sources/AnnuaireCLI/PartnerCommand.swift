public import ArgumentParser

/// `annuaire partner`: partner organisations ("Mes organismes"); the operator creates them (R8).
public struct PartnerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "partner",
        abstract: "Create (operator) and list partners.",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [PartnerCreateCommand.self, PartnerListCommand.self]
    )

    public init() {}
}
