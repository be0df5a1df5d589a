public import ArgumentParser
import Messages

/// `annuaire partner`: partner organisations ("Mes organismes"); the operator creates them (R8).
public struct PartnerCommand: ParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "partner",
        abstract: CLIContext.texts.text(.helpPartner),
        discussion: AnnuaireCLI.commonDiscussion,
        subcommands: [PartnerCreateCommand.self, PartnerListCommand.self]
    ) }

    public init() {}
}
