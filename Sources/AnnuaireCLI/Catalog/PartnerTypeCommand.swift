public import ArgumentParser
import Messages

/// `annuaire partner-type`: the categories of partners ("Les types de partenaires"), the operator's (R8).
public struct PartnerTypeCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "partner-type",
        abstract: CLIContext.texts.text(.helpPartnerType),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [PartnerTypeCreateCommand.self, PartnerTypeListCommand.self]
    ) }

    public init() {}
}
