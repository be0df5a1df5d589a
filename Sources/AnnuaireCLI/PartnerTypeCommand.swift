public import ArgumentParser

/// `annuaire partner-type`: the categories of partners ("Les types de partenaires"), the operator's (R8).
public struct PartnerTypeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "partner-type",
        abstract: "Create and list partner types (operator).",
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [PartnerTypeCreateCommand.self, PartnerTypeListCommand.self]
    )

    public init() {}
}
